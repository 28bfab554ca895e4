import { describe, expect, test } from "vitest";
import { dataAge, lastedText, staleInstant, staleText } from "./staleness";

const T = Date.parse("2026-12-01T10:00:00Z");
const at = (ms: number) => new Date(T + ms).toISOString();

describe("dataAge", () => {
  // 1 s polls: stale after 3 intervals + 3 s = 6 s, plus the page's refresh interval.
  test.each([
    { name: "fresh", polled: at(0), refresh: 0, now: T + 5_000, stale: false, age: 5_000 },
    { name: "at the limit", polled: at(0), refresh: 0, now: T + 6_000, stale: false, age: 6_000 },
    { name: "past the limit", polled: at(0), refresh: 0, now: T + 6_001, stale: true, age: 6_001 },
    {
      name: "a 5 s refresh waits longer",
      polled: at(0),
      refresh: 5_000,
      now: T + 10_000,
      stale: false,
      age: 10_000,
    },
    { name: "frozen 46 s", polled: at(0), refresh: 5_000, now: T + 46_000, stale: true, age: 46_000 },
    { name: "a clock behind the poll", polled: at(2_000), refresh: 0, now: T, stale: false, age: 0 },
  ])("$name", ({ polled, refresh, now, stale, age }) => {
    expect(dataAge(polled, 1000, refresh, now)).toEqual({ stale, ageMs: age });
  });
  test("no poll yet is not stale (the screens say 'no poll yet' instead)", () => {
    expect(dataAge(null, 1000, 0, T)).toEqual({ stale: false, ageMs: null });
    expect(staleInstant(undefined, 1000, 0)).toBeNull();
  });
  test("the instant matches the rule", () => {
    const s = staleInstant(at(0), 1000, 5000)!;
    expect(dataAge(at(0), 1000, 5000, s).stale).toBe(false);
    expect(dataAge(at(0), 1000, 5000, s + 1).stale).toBe(true);
  });
});

test.each([
  [46_000, "Data is 46 s old"],
  [125_000, "Data is 2 m 5 s old"],
])("staleText(%i)", (ms, text) => expect(staleText(ms)).toBe(text));

describe("lastedText", () => {
  test.each([
    { name: "opened after the clock's last tick", ms: -4_000, text: "under a minute" },
    { name: "just opened", ms: 0, text: "under a minute" },
    { name: "59 s", ms: 59_999, text: "under a minute" },
    { name: "a minute", ms: 60_000, text: "1 m" },
    { name: "seconds dropped", ms: 12 * 60_000 + 41_000, text: "12 m" },
    { name: "hours", ms: 3 * 3600_000 + 12 * 60_000 + 5_000, text: "3 h 12 m" },
    { name: "days", ms: 50 * 3600_000, text: "2 d 2 h" },
  ])("$name", ({ ms, text }) => expect(lastedText(new Date(T).toISOString(), T + ms)).toBe(text));
});
