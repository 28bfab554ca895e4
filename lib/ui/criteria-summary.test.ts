import { describe, expect, test } from "vitest";
import { criteriaSummary } from "./criteria-summary";

describe("a phase's summary line", () => {
  test.each([
    [["met", "not_met", "met"], "1 of 3 criteria not met"],
    [["met", "met"], "all 2 criteria met"],
    [["not_met", "insufficient_data", "met"], "1 of 3 criteria not met · 1 of 3 without enough data"],
    [["insufficient_data"], "1 of 1 without enough data"],
  ] as const)("%j: %s", (statuses, text) => {
    expect(criteriaSummary(statuses.map((status) => ({ status })))).toBe(text);
  });
});
