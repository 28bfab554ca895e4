import { describe, expect, test } from "vitest";
import { decisionState, isOverride } from "./decision";

describe("a decision is pending for the undo window, then frozen", () => {
  const at = "2026-03-01T10:00:00.000Z";
  test.each([
    [null, 0, "open", null],
    [at, 0, "pending", "2026-03-01T10:00:30.000Z"],
    [at, 29_999, "pending", "2026-03-01T10:00:30.000Z"],
    [at, 30_000, "frozen", null],
    [at, 3600_000, "frozen", null],
  ] as const)("decided %s, %d ms later: %s", (decidedAt, later, state, until) => {
    const now = new Date(new Date(at).getTime() + later);
    expect(decisionState(decidedAt, 30_000, now)).toEqual({ state, undo_until: until });
  });
  test("no undo window: frozen at once", () => {
    expect(decisionState(at, 0, new Date(at)).state).toBe("frozen");
  });
});

describe("an override is an advance of a phase that was not ready", () => {
  test.each([
    ["advance", false, true],
    ["advance", true, false],
    ["hold", false, false],
    ["roll_back", false, false],
    [null, false, false],
  ] as const)("%s, ready %s: %s", (decision, ready, override) => {
    expect(isOverride({ decision, evaluation: { phase: { ready } } })).toBe(override);
  });
});
