import { describe, expect, test } from "vitest";
import { readView, resolveRange, writeView } from "./url";

const params = (q: string) => new URLSearchParams(q);

describe("view <-> URL", () => {
  test("round-trips filters, sort, range and refresh", () => {
    const q =
      "host=ana-laptop&range=7d&refresh=0&health=diverged&kind=port_conflict&source=container_registry&labels=1&q=alpha&sort=since&dir=desc";
    const v = readView(params(q), { refresh: 5000 });
    expect(v).toMatchObject({
      host: "ana-laptop",
      range: "7d",
      refresh: 0,
      filters: {
        health: "diverged",
        kind: "port_conflict",
        source: "container_registry",
        labels: true,
        q: "alpha",
      },
      sort: { key: "since", dir: "desc" },
    });
    expect(new URLSearchParams(writeView(v, { refresh: 5000 }).slice(1))).toEqual(params(q));
  });

  test.each([["health=great"], ["kind=nope"], ["sort=weird"], ["refresh=-1"], ["host=a%20b"]])(
    "ignores invalid %s",
    (q) => {
      const v = readView(params(q), { refresh: 5000 });
      expect(writeView(v, { refresh: 5000 })).toBe("");
    },
  );

  test("the default view writes nothing", () => {
    expect(writeView(readView(params(""), { refresh: 5000 }), { refresh: 5000 })).toBe("");
  });
});

describe("resolveRange", () => {
  const now = new Date("2026-01-02T10:30:20Z");
  test.each([
    ["1h", "2026-01-02T09:31:00.000Z", "2026-01-02T10:31:00.000Z"],
    ["24h", "2026-01-01T10:31:00.000Z", "2026-01-02T10:31:00.000Z"],
    ["7d", "2025-12-26T10:31:00.000Z", "2026-01-02T10:31:00.000Z"],
  ])("%s ends after the current minute", (range, from, to) => {
    expect(resolveRange({ range, from: null, to: null }, now)).toEqual({ from, to, error: null });
  });

  test("custom range", () => {
    expect(
      resolveRange({ range: "custom", from: "2026-01-01T00:00:00Z", to: "2026-01-01T06:00:00Z" }, now),
    ).toEqual({ from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T06:00:00.000Z", error: null });
  });

  test("a relative custom range (now-6h) moves with now", () => {
    expect(resolveRange({ range: "custom", from: "now-6h", to: null }, now)).toEqual({
      from: "2026-01-02T04:30:20.000Z",
      to: "2026-01-02T10:30:20.000Z",
      error: null,
    });
  });

  test.each([
    [{ range: "custom", from: "yesterday", to: null }, /"yesterday" is not a time/],
    [{ range: "custom", from: null, to: null }, /has no start/],
    [{ range: "custom", from: "now-1h", to: "soon" }, /"soon" is not a time/],
    [{ range: "banana", from: null, to: null }, /"banana" is not a duration/],
  ])("a broken range in a link is named, and 24 h shown instead: %j", (v, message) => {
    const r = resolveRange(v, now);
    expect(r.error).toMatch(message);
    expect(r.error).toMatch(/Showing the last 24 h instead/);
    expect(r.to).toBe("2026-01-02T10:31:00.000Z");
    expect(Date.parse(r.to) - Date.parse(r.from)).toBe(86400_000);
  });

  test("a custom range with from after to falls back to the default, and says so", () => {
    const r = resolveRange(
      { range: "custom", from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" },
      now,
    );
    expect(r.to).toBe("2026-01-02T10:31:00.000Z");
    expect(r.error).toMatch(/ends before it starts/);
  });
});

import { criterionTrend } from "./charts";

describe("criterion trends", () => {
  const pt = (rate: number | null, fb: number | null) => ({
    t: "2026-01-01T00:00:00Z",
    checks: rate === null ? 0 : 100,
    diverged: rate === null ? 0 : rate * 100,
    rate,
    kinds: {},
    polls: 1,
    unreachable_polls: 0,
    reads: fb === null ? 0 : 10,
    fallback: 0,
    fallback_rate: fb,
    unanswered: 0,
    docker_ok_rate: fb === null ? null : 1 - fb,
    latency_ms: 20,
  });
  const divergence = { id: "divergence_rate", target_value: 0.05, unit: "ratio" as const };
  test("divergence in percent against the 5% line", () => {
    expect(criterionTrend(divergence, [pt(0.02, null), pt(null, null)])).toEqual({
      data: [
        { t: "2026-01-01T00:00:00Z", v: 2 },
        { t: "2026-01-01T00:00:00Z", v: null },
      ],
      target: 5,
    });
  });
  test.each([
    ["a ratio in percent", { id: "docker_success_rate", target_value: 0.95, unit: "ratio" as const }, 95],
    ["a ratio the API changed", { id: "fallback_rate", target_value: 0.1, unit: "ratio" as const }, 10],
    ["milliseconds as they are", { id: "docker_latency", target_value: 30, unit: "ms" as const }, 30],
    ["a count as it is", { id: "no_port_conflicts", target_value: 0, unit: "count" as const }, 0],
    ["no target from the API, no line", { id: "no_divergence_increase" }, null],
  ])("the target comes from the criterion: %s", (_, c, target) => {
    expect(criterionTrend(c, [pt(0.02, 0.02)])?.target).toBe(target);
  });
  test("no data, no trend; unknown criteria have none", () => {
    expect(
      criterionTrend({ id: "fallback_rate", target_value: 0.05, unit: "ratio" }, [pt(0.1, null)]),
    ).toBeNull();
    expect(criterionTrend({ id: "team_sign_off" }, [pt(0.1, 0.1)])).toBeNull();
  });
});

import { verdictOf } from "./verdict";

describe("the verdict line", () => {
  type C = { id: string; status: "met" | "not_met" | "insufficient_data"; actual: number | null };
  const report = (cs: C[], covered_ms?: number) =>
    ({
      current_phase: 0,
      phases: [
        {
          phase: 0,
          title: "Phase 0",
          window: "7d",
          ready: cs.every((c) => c.status === "met"),
          covered_ms,
          criteria: cs.map((c) => ({
            ...c,
            title: c.id === "collecting" ? "The dashboard has been collecting" : "Divergence rate below 5%",
            target: c.id === "collecting" ? "≥ 90% of the window" : "< 5% of checks diverged",
            evidence: { summary: "" },
          })),
        },
      ],
    }) as unknown as Parameters<typeof verdictOf>[0];
  const rate = (status: C["status"], actual: number | null): C => ({ id: "divergence_rate", status, actual });
  test.each([
    [
      "met, no covered time known",
      [rate("met", 0.01)],
      undefined,
      "ok",
      "Phase 0: ready — every criterion met over 7d",
    ],
    [
      "met over a week",
      [rate("met", 0.01)],
      7 * 86400_000,
      "ok",
      "Phase 0: ready — every criterion met over 7.0 d of data",
    ],
    [
      "not met over 25 minutes of data, not over 7d",
      [rate("not_met", 0.515)],
      25 * 60_000,
      "bad",
      "Phase 0: not ready — divergence rate below 5%: 51.5% over 25 min of data, target < 5% of checks diverged",
    ],
    [
      "every failing criterion is named",
      [rate("not_met", 0.515), { id: "collecting", status: "not_met", actual: 0.0025 }],
      25 * 60_000,
      "bad",
      "Phase 0: not ready — divergence rate below 5%: 51.5% over 25 min of data, target < 5% of checks diverged; " +
        "the dashboard has been collecting: 0.3% over 25 min of data, target ≥ 90% of the window",
    ],
    [
      "insufficient data",
      [rate("insufficient_data", null)],
      60_000,
      "muted",
      "Phase 0: not enough data yet — divergence rate below 5%: no data yet over 1 min of data, target < 5% of checks diverged",
    ],
  ] as const)("%s", (_, cs, covered, tone, text) => {
    expect(verdictOf(report([...cs], covered))).toEqual({ tone, text });
  });
});
