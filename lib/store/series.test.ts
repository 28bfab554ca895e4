import { expect, test } from "vitest";
import { bucketMs } from "./series";

const DAY = 86400_000;
const to = new Date("2026-12-01T00:00:00Z");

test.each([
  [3600_000, 30_000],
  [DAY, 1800_000],
  [90 * DAY, DAY],
  [3650 * DAY, 31 * DAY],
  [100_000 * DAY, 834 * DAY],
])("a range of %d ms: buckets of %d ms, at most 120 of them", (span, step) => {
  const from = new Date(to.getTime() - span);
  expect(bucketMs(from, to, 120)).toBe(step);
  expect(Math.ceil(span / bucketMs(from, to, 120))).toBeLessThanOrEqual(120);
});
