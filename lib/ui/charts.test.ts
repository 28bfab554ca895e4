import { describe, expect, test } from "vitest";
import type { ApiSeries, SeriesPoint } from "../contracts/overview";
import {
  chartValue,
  divergenceChart,
  fallbackChart,
  fallbackPoints,
  kindPoints,
  kindsChart,
  bucketAt,
  outageSpans,
  ratePoints,
} from "./charts";
import { timeTicks } from "./time-ticks";

const T0 = Date.UTC(2026, 10, 27, 10);
const M = 60_000;

/** A bucket at T0 + i minutes; `over` sets the fields a case needs. */
const pt = (i: number, over: Partial<SeriesPoint> = {}): SeriesPoint => ({
  t: new Date(T0 + i * M).toISOString(),
  checks: 0,
  diverged: 0,
  rate: null,
  kinds: {},
  polls: 1,
  unreachable_polls: 0,
  reads: 0,
  fallback: 0,
  fallback_rate: null,
  unanswered: 0,
  docker_ok_rate: null,
  latency_ms: null,
  ...over,
});

const series = (
  points: SeriesPoint[],
  annotations: ApiSeries["annotations"] = [],
  targets: ApiSeries["targets"] = { divergence_rate: 0.05, fallback_rate: 0.05 },
): ApiSeries => ({
  from: new Date(T0).toISOString(),
  to: new Date(T0 + 10 * M).toISOString(),
  bucket_ms: M,
  points,
  annotations,
  targets,
});

describe("chart rows", () => {
  test.each([
    ["a rate in percent, two decimals", 0.123456, 12.35],
    ["all diverged", 1, 100],
    ["no checks: a gap, not a zero", null, null],
  ])("divergence: %s", (_, rate, shown) => {
    expect(ratePoints([pt(0, { rate })], M)).toEqual([{ ms: T0 + M / 2, rate: shown }]);
  });

  test.each([
    ["fallback and unanswered shares", { reads: 8, fallback_rate: 0.25, unanswered: 2 }, 25, 25],
    ["no reads: both lines have a gap", { reads: 0 }, null, null],
    ["reads, none unanswered", { reads: 4, fallback_rate: 0, unanswered: 0 }, 0, 0],
  ])("fallback: %s", (_, over, fallback, unanswered) => {
    expect(fallbackPoints([pt(0, over)], M)).toEqual([{ ms: T0 + M / 2, fallback, unanswered }]);
  });

  test("kinds: every kind has a value per bucket (0 when absent), so bars stack", () => {
    const [row] = kindPoints([pt(0, { kinds: { port_mismatch: 0.5 } })], M);
    expect(row).toMatchObject({ ms: T0 + M / 2, port_mismatch: 0.5, missing_in_docker: 0, port_conflict: 0 });
  });
});

describe("outages", () => {
  test.each([
    ["none", [0, 0, 0], []],
    ["one bucket", [0, 1, 0], [[1, 2]]],
    [
      "adjacent buckets merge",
      [2, 1, 0, 1],
      [
        [0, 2],
        [3, 4],
      ],
    ],
  ] as const)("%s", (_, unreachable, spans) => {
    const points = unreachable.map((u, i) => pt(i, { unreachable_polls: u }));
    expect(outageSpans(points, M)).toEqual(spans.map(([a, b]) => ({ from: T0 + a * M, to: T0 + b * M })));
  });
});

describe("chart specs", () => {
  const restart = {
    at: new Date(T0 + 2.5 * M).toISOString(),
    kind: "restart" as const,
    label: "orchestrator restart: a → b (started_at changed)",
    simulated: false,
  };
  const early = {
    at: new Date(T0 - M).toISOString(),
    kind: "phase_change" as const,
    label: "phase set to 1 by ana",
    simulated: false,
  };

  test("the divergence chart: one line, the 5% target with its label, marks inside the range only", () => {
    const spec = divergenceChart(series([pt(0, { checks: 2, diverged: 2, rate: 1 })], [early, restart]));
    expect(spec.series.map((s) => s.key)).toEqual(["rate"]);
    expect(spec.target).toEqual({ value: 5, label: "5% target" });
    expect(spec.unit).toBe("%");
    expect(spec.marks).toEqual([{ at: T0 + 2.5 * M, kind: "restart", label: restart.label }]);
    expect([spec.from, spec.to, spec.bucketMs]).toEqual([T0, T0 + 10 * M, M]);
  });

  test("the fallback chart: two lines, the target without a label", () => {
    const spec = fallbackChart(series([pt(0)]));
    expect(spec.series.map((s) => [s.key, s.label, s.dash])).toEqual([
      ["fallback", "fallback", undefined],
      ["unanswered", "answered by nobody", "2 2"],
    ]);
    expect(spec.target).toEqual({ value: 5 });
  });

  test.each([
    [
      "ADR-0098's 5% for both",
      { divergence_rate: 0.05, fallback_rate: 0.05 },
      { value: 5, label: "5% target" },
      5,
    ],
    [
      "other targets the API sends",
      { divergence_rate: 0.025, fallback_rate: 0.1 },
      { value: 2.5, label: "2.5% target" },
      10,
    ],
    [
      "a target with float noise",
      { divergence_rate: 0.07, fallback_rate: 0.07 },
      { value: 7, label: "7% target" },
      7,
    ],
  ])("the charts' targets come from the series' targets: %s", (_, targets, divergence, fallback) => {
    expect(divergenceChart(series([pt(0)], [], targets)).target).toEqual(divergence);
    expect(fallbackChart(series([pt(0)], [], targets)).target).toEqual({ value: fallback });
  });

  test("the kinds chart draws (and its legend lists) only the kinds the range has, each kind in its own colour whatever else the range has", () => {
    const spec = kindsChart(
      series([pt(0, { kinds: { port_mismatch: 1 } }), pt(1, { kinds: { missing_in_docker: 2 } })]),
    );
    expect(spec.series.map((s) => [s.label, s.colour])).toEqual([
      ["missing in Docker", "var(--c1)"],
      ["port differs", "var(--c5)"],
    ]);
    expect(spec.target).toBeNull();
  });

  test("an outage running past the range is clipped to it", () => {
    const s = series([pt(9, { unreachable_polls: 1 })]);
    s.to = new Date(T0 + 9.5 * M).toISOString();
    expect(divergenceChart(s).outages).toEqual([{ from: T0 + 9 * M, to: T0 + 9.5 * M }]);
  });
});

describe("the tooltip's words", () => {
  const spec = {
    bucketMs: M,
    outages: [{ from: T0 + 3 * M, to: T0 + 5 * M }],
    marks: [{ at: T0 + 1.5 * M, kind: "restart" as const, label: "orchestrator restart: a → b" }],
  };
  test.each([
    ["a bucket with nothing marked", 0, []],
    ["the bucket holding the restart", 1, ["orchestrator restart: a → b"]],
    ["a bucket inside the outage", 4, ["Docker unreachable"]],
    ["the bucket right after the outage", 5, []],
  ])("%s", (_, i, words) => {
    // The row of bucket i sits at its middle; the tooltip names the bucket by its start.
    expect(bucketAt(spec, T0 + i * M + M / 2)).toEqual({ start: T0 + i * M, marks: words });
  });

  test.each([
    [12.345, "%", "12.35%"],
    [0.5, "", "0.5"],
    [null, "%", "—"],
  ])("%s%s reads %s", (v, unit, text) => {
    expect(chartValue(v, unit)).toBe(text);
  });
});

describe("the time axis", () => {
  const H = 3600_000;
  test.each([
    ["1 h from 10:07: every 15 minutes", T0 + 7 * M, T0 + 67 * M, [15, 30, 45, 60].map((m) => T0 + m * M)],
    ["24 h from 10:00: every 3 hours", T0, T0 + 24 * H, [2, 5, 8, 11, 14, 17, 20, 23].map((h) => T0 + h * H)],
  ])("UTC, %s", (_, from, to, ticks) => {
    expect(timeTicks(from, to, "utc")).toEqual(ticks);
  });
  test("a week: whole days at midnight UTC", () => {
    const ticks = timeTicks(Date.UTC(2026, 10, 20, 5), Date.UTC(2026, 10, 27, 5), "utc");
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.every((t) => t % (24 * H) === 0)).toBe(true);
  });
});
