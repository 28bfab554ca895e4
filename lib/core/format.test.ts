import { describe, expect, test } from "vitest";
import { evidenceTable, formatField, formatValue } from "./format";

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

describe("evidence as tables", () => {
  test("a list of records becomes columns of every field, in units", () => {
    expect(
      evidenceTable([
        { instance: "a", recovered_in_ms: 8123, fallback_rate: 0.0412 },
        { instance: "b", recovered_in_ms: null, extra: true },
      ]),
    ).toEqual({
      columns: ["instance", "recovered_in_ms", "fallback_rate", "extra"],
      rows: [
        ["a", "8.1 s", "4.12%", "—"],
        ["b", "—", "—", "yes"],
      ],
    });
  });

  test("one record becomes field/value rows; nothing becomes no table", () => {
    expect(evidenceTable({ polls: 12, latency_ms: 12.5 })).toEqual({
      columns: ["field", "value"],
      rows: [
        ["polls", "12"],
        ["latency ms", "13 ms"],
      ],
    });
    expect(evidenceTable([])).toBeNull();
    expect(evidenceTable(undefined)).toBeNull();
    expect(formatField("issues", ["a", "b"])).toBe("a, b");
  });
});
