import { describe, expect, test } from "vitest";
import { formatValue } from "./format";

describe("one formatter for criteria", () => {
  test.each([
    ["divergence_rate", 0.13712221853204914, "13.71%"],
    ["divergence_rate", 0, "0.00%"],
    ["docker_success_rate", 1, "100.00%"],
    ["no_divergence_increase", 0.1357, "13.57%"],
    ["zero_divergence", 12, "12"],
    ["docker_latency", 29.25, "29.3 ms"],
    ["phase3_stable_4w", 12, "12 days"],
    ["crash_recovery", "3 of 4", "3 of 4"],
    ["divergence_rate", null, "—"],
  ])("%s %s -> %s", (id, v, out) => {
    expect(formatValue(id, v)).toBe(out);
  });
});
