import { describe, expect, test } from "vitest";
import type { ApiEpisode } from "../contracts/state";
import { newestFirst, openFindingsChart, pageOf, timelineSpan } from "./project-timeline";

const T0 = Date.UTC(2026, 10, 27, 0);
const H = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ep = (opened: number, closed: number | null, over: Partial<ApiEpisode> = {}): ApiEpisode => ({
  source: "registry_file",
  kind: "missing_in_docker",
  opened_at: iso(opened),
  closed_at: closed === null ? null : iso(closed),
  duration_ms: (closed ?? T0 + 24 * H) - opened,
  detail: { message: "m" },
  simulated: false,
  ...over,
});

describe("the timeline's span", () => {
  test.each([
    ["findings only in the last 20 minutes of 24 h: fitted to them", [ep(T0 + 23.6 * H, null)], false, true],
    ["findings from the start: the whole range", [ep(T0 + 0.5 * H, null)], false, false],
    ["no findings: the whole range", [], false, false],
    ["asked for the whole range", [ep(T0 + 23.6 * H, null)], true, false],
  ])("%s", (_, eps, whole, fitted) => {
    const s = timelineSpan(eps, iso(T0), iso(T0 + 24 * H), T0 + 24 * H - 30_000, whole);
    expect(s.fitted).toBe(fitted);
    const now = T0 + 24 * H - 30_000;
    if (fitted) expect([s.to > now, s.to <= T0 + 24 * H]).toEqual([true, true]);
    else expect(s.to).toBe(T0 + 24 * H);
    if (fitted) {
      const first = Date.parse(eps[0]!.opened_at);
      expect(s.from).toBeLessThan(first);
      // the findings fill most of what is shown
      expect((s.to - first) / (s.to - s.from)).toBeGreaterThan(0.85);
    } else expect(s.from).toBe(T0);
  });
});

test.each([
  ["fitted", [ep(T0 + 23.6 * H, null)]],
  ["the whole range", [ep(T0 + 0.5 * H, null)]],
])("a live range whose end the clock passed a few seconds ago still ends at now (%s)", (_, eps) => {
  const now = T0 + 24 * H + 5_000;
  const s = timelineSpan(eps, iso(T0), iso(T0 + 24 * H), now);
  expect(s.to).toBeGreaterThanOrEqual(now);
});

test("a range that ended more than a minute ago is not stretched to now", () => {
  const s = timelineSpan([ep(T0 + 0.5 * H, null)], iso(T0), iso(T0 + 24 * H), T0 + 25 * H);
  expect(s.to).toBe(T0 + 24 * H);
});

describe("the episode table", () => {
  test("newest first, open before closed at the same time", () => {
    const a = ep(T0 + H, T0 + 2 * H, { source: "a" });
    const b = ep(T0 + 3 * H, null, { source: "b" });
    const c = ep(T0 + 3 * H, T0 + 4 * H, { source: "c" });
    expect(newestFirst([a, b, c]).map((e) => e.source)).toEqual(["b", "c", "a"]);
  });

  test.each([
    [0, 0, "1–10 of 23", 10],
    [2, 2, "21–23 of 23", 3],
    [9, 2, "21–23 of 23", 3],
    [-1, 0, "1–10 of 23", 10],
  ])("page %i of 23 rows: page %i, %s", (asked, page, text, n) => {
    const p = pageOf(
      Array.from({ length: 23 }, (_, i) => i),
      asked,
    );
    expect([p.page, p.pages, p.text, p.rows.length]).toEqual([page, 3, text, n]);
  });

  test("no rows: one empty page", () => {
    expect(pageOf([], 0).text).toBe("0 of 0");
  });
});

describe("the open-findings chart", () => {
  test("counts the findings of each kind open in each bucket; none after now", () => {
    const eps = [
      ep(T0, T0 + 2 * H),
      ep(T0 + H, null, { kind: "port_mismatch" }),
      ep(T0 + H, null, { source: "x" }),
    ];
    const spec = openFindingsChart(eps, T0, T0 + 4 * H, T0 + 3 * H, 4);
    expect(spec.bucketMs).toBe(H);
    expect(spec.series.map((s) => s.key)).toEqual(["missing_in_docker", "port_mismatch"]);
    expect(spec.rows.map((r) => [r.missing_in_docker, r.port_mismatch])).toEqual([
      [1, 0],
      [2, 1],
      [2, 1],
      [1, 1],
    ]);
    expect(new Set(spec.series.map((s) => s.colour)).size).toBe(2);
    expect(spec.samples[T0 + H / 2]).toBe("1 finding open");
  });
});
