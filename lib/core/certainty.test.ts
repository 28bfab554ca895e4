import { describe, expect, test } from "vitest";
import { evaluatePhases, type PhaseInputs, type WindowCounts } from "./phases";
import { certaintyText, unsettledCriteria, type CertaintyInputs } from "./certainty";
import type { BinarySeries } from "./confidence";

const counts = (checks: number, diverged: number): WindowCounts => ({
  checks,
  diverged,
  polls: 1000,
  reachablePolls: 1000,
  portConflicts: 0,
  firstPollAt: "2026-02-22T00:00:00Z",
  lastPollAt: "2026-03-01T00:00:00Z",
});
const NONE: BinarySeries = { n: 0, x: 0, series: 0, pairs: 0, changes: 0 };
/** `series` projects with `n` checks in all, `x` diverged, in episodes that change `changes` times */
const runs = (n: number, x: number, series: number, changes: number): BinarySeries => ({
  n,
  x,
  series,
  pairs: n - series,
  changes,
});

function inputs(cert: Partial<CertaintyInputs>, over: Partial<PhaseInputs> = {}): PhaseInputs {
  return {
    now: "2026-03-01T00:00:00Z",
    windowLabel: "7d",
    windowMs: 7 * 86400_000,
    pollIntervalMs: 5000,
    counts: counts(1000, 10),
    dockerWriteAttempts: 0,
    newContainers: [],
    coveredMs: 7 * 86400_000,
    byHost: [],
    phase1StartedAt: null,
    reads: { reads: 0, fallback: 0, dockerOk: 0 },
    readsByInstance: [],
    phase1Counts: null,
    restarts: [],
    phase3StartedAt: null,
    last28d: counts(0, 0),
    last28dRestartsUnrecovered: 0,
    latency: { samples: 0, p50: null, p95: null },
    signOff: null,
    certainty: {
      divergence: NONE,
      dockerOk: NONE,
      fallback: NONE,
      regressions: [],
      phaseStarts: [null, null, null, null, null],
      ...cert,
    },
    ...over,
  };
}
const crit = (inp: PhaseInputs, phase: number, id: string) =>
  evaluatePhases(inp)[phase]!.criteria.find((c) => c.id === id)!;

describe("rate criteria: interval and settled (the verdict unchanged)", () => {
  test.each<[string, WindowCounts, BinarySeries, string, boolean]>([
    // 1% of 100,000 checks over 50 projects with many short episodes: sure it is under 5%.
    ["many checks, short episodes", counts(100_000, 1000), runs(100_000, 1000, 50, 1800), "met", true],
    // 4% of 1,000 checks in 2 long episodes: 4% < 5% is met, but the interval crosses 5%.
    ["few long episodes", counts(1000, 40), runs(1000, 40, 10, 4), "met", false],
    // 30% of 10,000 checks: surely above 5%; settled, not met.
    ["surely above the target", counts(10_000, 3000), runs(10_000, 3000, 20, 400), "not_met", true],
  ])("%s", (_name, c, s, status, settled) => {
    const r = crit(inputs({ divergence: s }, { counts: c }), 0, "divergence_rate");
    expect(r.status).toBe(status);
    expect(r.settled).toBe(settled);
    expect(r.confidence).toMatchObject({ level: 0.95, method: "wilson-ess-markov" });
    expect(r.confidence!.low).toBeLessThanOrEqual(c.diverged / c.checks);
    expect(r.confidence!.high).toBeGreaterThanOrEqual(c.diverged / c.checks);
    if (settled) expect(r.settle_eta).toBeUndefined();
    else expect(r.settle_eta?.text).toMatch(/^about \d+ more (days|hours|minutes) at today's check rate$/);
  });

  test("no reads: no interval, not settled, no estimate", () => {
    const r = crit(inputs({}), 2, "fallback_rate");
    expect(r).toMatchObject({ confidence: null, settled: false, settle_eta: null });
  });

  test("reads: Docker success above 95% and fallback below 5%, each with its interval", () => {
    const inp = inputs(
      { dockerOk: runs(5000, 4990, 10, 18), fallback: runs(5000, 10, 10, 18) },
      { reads: { reads: 5000, fallback: 10, dockerOk: 4990 } },
    );
    const ok = crit(inp, 2, "docker_success_rate");
    const fb = crit(inp, 2, "fallback_rate");
    expect([ok.status, ok.settled, fb.status, fb.settled]).toEqual(["met", true, "met", true]);
    expect(ok.confidence!.low).toBeGreaterThan(0.95);
    expect(fb.confidence!.high).toBeLessThan(0.05);
    expect(ok.settle_eta).toBeUndefined();
  });

  test("label coverage: a share of new containers; a miss settles it, none never proves 100%", () => {
    const c = (id: string, project: string, missing: boolean) => ({
      id,
      project,
      firstSeenAt: `2026-02-2${id}T00:00:00Z`,
      labelIssues: missing ? ["labels_missing"] : [],
      labels: missing ? [] : ["com.l9.project_hash", "com.l9.port", "com.l9.project_path"],
    });
    const all = crit(
      inputs({}, { newContainers: [c("1", "a", false), c("2", "b", false)] }),
      1,
      "labels_present",
    );
    expect(all.status).toBe("met");
    expect(all.confidence!.high).toBe(1);
    expect(all).toMatchObject({ settled: false, settle_eta: null });
    const miss = crit(
      inputs({}, { newContainers: [c("1", "a", true), c("2", "b", false)] }),
      1,
      "labels_present",
    );
    expect(miss.status).toBe("not_met");
    expect(miss.settled).toBe(true);
    expect(miss.confidence!.high).toBeLessThan(1);
  });

  test("criteria that are not rates carry no interval", () => {
    const r = crit(inputs({}), 0, "no_docker_writes");
    expect(r.confidence).toBeUndefined();
    expect(r.settled).toBeUndefined();
  });

  test("an advance needs confirming for the met criteria that are not settled", () => {
    const inp = inputs({ divergence: runs(1000, 40, 10, 4) }, { counts: counts(1000, 40) });
    expect(unsettledCriteria(evaluatePhases(inp)[0]!).map((c) => c.id)).toEqual(["divergence_rate"]);
    const sure = inputs({ divergence: runs(100_000, 1000, 50, 1800) }, { counts: counts(100_000, 1000) });
    expect(unsettledCriteria(evaluatePhases(sure)[0]!)).toEqual([]);
  });
});

describe("duration criteria: progress and met_eta", () => {
  test.each<[string, number, string | null]>([
    // covered, expected met_eta
    ["a full week covered: met, no date", 7 * 86400_000, null],
    ["3 days covered: 90% of 7 days (6.3 d) is 3.3 days away", 3 * 86400_000, "2026-03-04T07:12:00.000Z"],
  ])("collecting: %s", (_name, covered, eta) => {
    const r = crit(inputs({}, { coveredMs: covered }), 0, "collecting");
    expect(r.progress).toEqual({ done_s: covered / 1000, needed_s: 0.9 * 7 * 86400 });
    expect(r.met_eta).toBe(eta);
  });

  test("Phase 3 stable for 28 days: from its start, reset by the latest regression", () => {
    const base = { phase3StartedAt: "2026-02-20T00:00:00Z", last28d: counts(1000, 0) };
    const clean = crit(inputs({}, base), 4, "phase3_stable_4w");
    expect(clean.progress).toEqual({ done_s: 9 * 86400, needed_s: 28 * 86400 });
    expect(clean.met_eta).toBe("2026-03-20T00:00:01.000Z");
    const regressed = inputs(
      {
        regressions: [
          { at: "2026-02-25T00:00:00Z", ended_at: "2026-02-26T00:00:00Z", what: "a diverged (x)" },
        ],
      },
      { ...base, last28d: counts(1000, 3) },
    );
    const r = crit(regressed, 4, "phase3_stable_4w");
    expect(r.progress).toEqual({ done_s: 3 * 86400, needed_s: 28 * 86400 });
    expect(r.met_eta).toBe("2026-03-26T00:00:01.000Z");
    expect(r.status).toBe("insufficient_data"); // the ADR's rule, unchanged
    const p4 = evaluatePhases(regressed)[4]!;
    expect(p4.timeline?.regressions).toHaveLength(1);
    // Phase 4 also waits on latency and a sign-off: no projected ready date from time alone.
    expect(p4.timeline?.ready_eta).toBeNull();
    const open = crit(
      inputs({ regressions: [{ at: "2026-02-28T00:00:00Z", ended_at: null, what: "x" }] }, base),
      4,
      "phase3_stable_4w",
    );
    expect(open.progress?.done_s).toBe(0);
    expect(open.met_eta).toBe("2026-03-29T00:00:01.000Z");
  });

  test("a phase waiting only on time projects its ready date; the recorded start is on its timeline", () => {
    const starts = [null, null, null, null, null].map((_, i) => (i === 0 ? "2026-02-26T00:00:00Z" : null));
    const inp = inputs(
      { divergence: runs(100_000, 1000, 50, 1800), phaseStarts: starts },
      { counts: counts(100_000, 1000), coveredMs: 3 * 86400_000 },
    );
    const p0 = evaluatePhases(inp)[0]!;
    expect(p0.ready).toBe(false);
    expect(p0.timeline).toEqual({
      started_at: "2026-02-26T00:00:00Z",
      regressions: [],
      ready_eta: "2026-03-04T07:12:00.000Z",
    });
  });
});

describe("certaintyText: the line people read beside a criterion", () => {
  const base = { id: "x", title: "x", target: "x", actual: 0.04, evidence: { summary: "" } } as const;
  test.each<[string, Parameters<typeof certaintyText>[0], string | null]>([
    [
      "settled",
      {
        ...base,
        status: "met",
        confidence: { low: 0.01, high: 0.03, level: 0.95, method: "m" },
        settled: true,
      },
      "95% interval 1.00%–3.00%: settled",
    ],
    [
      "not settled, with its estimate",
      {
        ...base,
        status: "met",
        confidence: { low: 0.012, high: 0.1453, level: 0.95, method: "m" },
        settled: false,
        settle_eta: { seconds: 1, at: "", text: "about 9 more days at today's check rate" },
      },
      "95% interval 1.20%–14.53%: not settled (about 9 more days at today's check rate)",
    ],
    [
      "nothing observed",
      { ...base, status: "insufficient_data", confidence: null, settled: false },
      "no observations yet: not settled",
    ],
    [
      "a duration under way",
      {
        ...base,
        status: "insufficient_data",
        progress: { done_s: 9 * 86400, needed_s: 28 * 86400 },
        met_eta: "2027-01-05T00:00:01.000Z",
      },
      "9.0 of 28.0 days: met on 2027-01-05 if nothing regresses",
    ],
    [
      "a duration met",
      { ...base, status: "met", progress: { done_s: 30 * 86400, needed_s: 28 * 86400 }, met_eta: null },
      "28.0 of 28.0 days: met",
    ],
    ["neither", { ...base, status: "met" }, null],
  ])("%s", (_name, c, want) => {
    expect(certaintyText(c)).toBe(want);
  });
});
