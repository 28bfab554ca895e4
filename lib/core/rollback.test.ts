import { describe, expect, test } from "vitest";
import { rollbackSignal, rollbackText, rollbackWords } from "./rollback";
import type { CriterionStatus, PhaseResult } from "./phase-types";

const phase = (statuses: Record<string, CriterionStatus>): PhaseResult => ({
  phase: 0,
  title: "Phase 0",
  window: "7d",
  ready: false,
  criteria: Object.entries(statuses).map(([id, status]) => ({
    id,
    title:
      { divergence_rate: "Divergence rate below 5%", collecting: "Collecting over the window" }[id] ?? id,
    target: "",
    actual: null,
    status,
    evidence: { summary: "" },
  })),
});

describe("rollback signal: regressed only what was met at the advance", () => {
  test.each([
    ["met", "regressed since the advance"],
    ["not_met", "already failing when advanced"],
    ["insufficient_data", "not measured when advanced"],
    [null, "not measured when advanced"],
  ] as const)("at the advance %s: %s", (then, words) => {
    const now = [phase({ divergence_rate: "not_met", collecting: "met" })];
    const atAdvance = then ? phase({ divergence_rate: then, collecting: "met" }) : null;
    const s = rollbackSignal(1, now, atAdvance, "2026-03-01T00:00:00Z")!;
    expect(s.failing).toEqual(["divergence_rate"]);
    expect(s.criteria).toEqual([
      { id: "divergence_rate", title: "Divergence rate below 5%", at_advance: then },
    ]);
    expect(rollbackWords(s.criteria[0]!)).toBe(words);
    // Human names, never the raw id.
    expect(rollbackText(s)).toContain(`Divergence rate below 5% (${words})`);
    expect(rollbackText(s)).not.toContain("divergence_rate");
  });

  test("no signal in Phase 0 or when nothing fails", () => {
    expect(rollbackSignal(0, [phase({ divergence_rate: "not_met" })])).toBeNull();
    expect(rollbackSignal(1, [phase({ divergence_rate: "met" })])).toBeNull();
  });

  test("two failing criteria, one regressed and one already failing", () => {
    const s = rollbackSignal(
      1,
      [phase({ divergence_rate: "not_met", collecting: "not_met" })],
      phase({ divergence_rate: "met", collecting: "not_met" }),
    )!;
    expect(rollbackText(s)).toBe(
      "Since the advance to Phase 1, 2 of Phase 0's criteria are not met: Divergence rate below 5% " +
        "(regressed since the advance); Collecting over the window (already failing when advanced). " +
        "See the ADR's rollback plan.",
    );
  });
});
