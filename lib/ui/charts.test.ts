import { describe, expect, test } from "vitest";
import { gapPath, nearestIndex, niceTop, timeTicks, valueTicks } from "./charts";

const H = 3600_000;
const D = 86400_000;

describe("time chart geometry", () => {
  test("ticks: the smallest step that fits, on whole steps of the zone", () => {
    const from = Date.UTC(2026, 10, 27, 10, 7);
    expect(timeTicks(from, from + 6 * H, 7)).toEqual(
      [11, 12, 13, 14, 15, 16].map((h) => Date.UTC(2026, 10, 27, h)),
    );
    // A week with at most 8 ticks: whole days, at midnight UTC.
    const week = timeTicks(Date.UTC(2026, 10, 20, 5), Date.UTC(2026, 10, 27, 5), 8);
    expect(week).toHaveLength(7);
    expect(week.every((t) => t % D === 0)).toBe(true);
    // Midnight of a zone five hours behind UTC is 05:00 UTC.
    const ny = timeTicks(Date.UTC(2026, 10, 20, 6), Date.UTC(2026, 10, 27, 6), 8, -5 * H);
    expect(ny.every((t) => (t - 5 * H) % D === 0)).toBe(true);
    expect(timeTicks(10, 10, 5)).toEqual([]);
  });

  test("value axis: a nice top at least the floor, ticks on a nice step", () => {
    expect(niceTop(37.2, 10)).toBe(50);
    expect(niceTop(3, 10)).toBe(10);
    expect(niceTop(0)).toBe(1);
    expect(niceTop(7.5)).toBe(10);
    expect(niceTop(0.12)).toBe(0.2);
    expect(valueTicks(50)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(valueTicks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(valueTicks(2.5)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
  });

  test("a line breaks at a gap and never draws across it", () => {
    expect(
      gapPath([
        { x: 0, y: 1 },
        { x: 1, y: 2 },
        { x: 2, y: null },
        { x: 3, y: 4 },
        { x: 4, y: 5.26 },
      ]),
    ).toBe("M0,1L1,2M3,4L4,5.3");
    expect(gapPath([{ x: 0, y: null }])).toBe("");
  });

  test("the nearest point to a pointer's time", () => {
    const pts = [{ ms: 0 }, { ms: 10 }, { ms: 20 }];
    expect(nearestIndex(pts, -5)).toBe(0);
    expect(nearestIndex(pts, 4)).toBe(0);
    expect(nearestIndex(pts, 6)).toBe(1);
    expect(nearestIndex(pts, 99)).toBe(2);
    expect(nearestIndex([], 3)).toBe(-1);
  });
});
