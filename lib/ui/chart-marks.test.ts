import { describe, expect, test } from "vitest";
import type { ApiSeries, SeriesPoint } from "../contracts/overview";
import { gapSpans, groupLabel, labelWidth, layoutRow, tipMarks } from "./chart-marks";
import { CHART_KINDS, bucketAt, divergenceChart, fallbackChart, kindsChart } from "./charts";

const T0 = Date.UTC(2026, 10, 27, 10);
const M = 60_000;
// A 10-minute axis 600 px wide: 1 px a second.
const x = (ms: number) => (ms - T0) / 1000;

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
const series = (points: SeriesPoint[]): ApiSeries => ({
  from: new Date(T0).toISOString(),
  to: new Date(T0 + 10 * M).toISOString(),
  bucket_ms: M,
  points,
  annotations: [],
  targets: { divergence_rate: 0.05, fallback_rate: 0.05 },
});

const items = (secs: number[]) => secs.map((s) => ({ at: T0 + s * 1000, text: `restart at ${s}` }));
const overlaps = (gs: { left: number; width: number }[]) =>
  gs.some((g, i) => i > 0 && g.left < gs[i - 1]!.left + gs[i - 1]!.width);

describe("mark labels", () => {
  test.each([
    ["restart", 1, "restart"],
    ["restart", 9, "9 restarts"],
    ["phase_change", 1, "phase change"],
    ["phase_change", 2, "2 phase changes"],
    ["outage", 1, "Docker down"],
    ["outage", 3, "3 Docker outages"],
  ] as const)("%s × %i reads %s", (kind, n, text) => expect(groupLabel(kind, n)).toBe(text));

  test.each([
    [
      "nine restarts within seconds are one label",
      [300, 301, 302, 303, 304, 305, 306, 307, 308],
      ["9 restarts"],
    ],
    ["marks far apart keep a label each", [60, 300, 540], ["restart", "restart", "restart"]],
    ["a crowd and a lone mark: two labels", [100, 102, 104, 500], ["3 restarts", "restart"]],
    ["marks at the right edge stay inside the chart", [598, 599, 600], ["3 restarts"]],
    ["marks at the left edge stay inside the chart", [0, 1], ["2 restarts"]],
  ])("%s", (_, secs, labels) => {
    const gs = layoutRow("restart", items(secs), x, 600);
    expect(gs.map((g) => g.label)).toEqual(labels);
    expect(gs.flatMap((g) => g.items).length).toBe(secs.length);
    expect(overlaps(gs)).toBe(false);
    for (const g of gs) {
      expect(g.left).toBeGreaterThanOrEqual(0);
      expect(g.left + g.width).toBeLessThanOrEqual(600);
      expect(g.width).toBe(labelWidth(g.label));
    }
  });

  test("on a phone-narrow chart, labels that cannot all fit merge until none overlap", () => {
    const gs = layoutRow("restart", items([100, 200, 300, 400, 500]), (ms) => x(ms) / 3, 200);
    expect(overlaps(gs)).toBe(false);
    expect(gs.flatMap((g) => g.items).length).toBe(5);
  });

  test("buckets without a poll are gaps; runs of them are one span", () => {
    const points = [pt(0, { polls: 0 }), pt(1, { polls: 0 }), pt(2), pt(3, { polls: 0 })];
    expect(gapSpans(points, M)).toEqual([
      { from: T0, to: T0 + 2 * M },
      { from: T0 + 3 * M, to: T0 + 4 * M },
    ]);
  });

  test("the tooltip names a few marks and counts the rest", () => {
    expect(tipMarks(["a", "b"])).toEqual(["a", "b"]);
    expect(tipMarks(["a", "b", "c", "d", "e"])).toEqual(["a", "b", "and 3 more marks in this bucket"]);
  });
});

describe("chart specs: gaps, samples, colours", () => {
  test("a gap is in the spec and the tooltip of its bucket says no data", () => {
    const spec = divergenceChart(
      series([pt(0, { polls: 0 }), pt(1, { checks: 4, diverged: 1, rate: 0.25, polls: 2 })]),
    );
    expect(spec.gaps).toEqual([{ from: T0, to: T0 + M }]);
    expect(bucketAt(spec, T0 + M / 2).marks).toEqual(["no data: nothing polled"]);
    expect(bucketAt(spec, T0 + 1.5 * M).marks).toEqual([]);
  });

  test.each([
    ["divergence", divergenceChart, "4 checks in 2 polls"],
    ["kinds", kindsChart, "2 polls"],
    ["fallback", fallbackChart, "3 read events"],
  ] as const)("the %s chart's tooltip sample size", (_, chart, text) => {
    const spec = chart(series([pt(0, { checks: 4, diverged: 1, rate: 0.25, polls: 2, reads: 3 })]));
    expect(spec.samples[T0 + M / 2]).toBe(text);
  });

  test("every kind the findings chart can draw has a colour of its own", () => {
    const all = Object.fromEntries(CHART_KINDS.map((k) => [k, 1]));
    const spec = kindsChart(series([pt(0, { kinds: all })]));
    expect(spec.series).toHaveLength(CHART_KINDS.length);
    expect(new Set(spec.series.map((s) => s.colour)).size).toBe(CHART_KINDS.length);
  });
});
