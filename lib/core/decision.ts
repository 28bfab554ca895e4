// A review's decision over time: recorded, then pending for an undo window, then frozen.
// The server decides the state from the decision's time (the browser only shows it). Pure.

export type DecisionState = "open" | "pending" | "frozen";

/** open: no decision; pending: decided less than `undoMs` ago (it may be undone); frozen after. */
export function decisionState(
  decidedAt: string | null,
  undoMs: number,
  now: Date,
): { state: DecisionState; undo_until: string | null } {
  if (!decidedAt) return { state: "open", undo_until: null };
  const until = new Date(decidedAt).getTime() + undoMs;
  return now.getTime() < until
    ? { state: "pending", undo_until: new Date(until).toISOString() }
    : { state: "frozen", undo_until: null };
}

/** An advance recorded although the evaluation said the phase was not ready: an override. */
export const isOverride = (r: { decision: string | null; evaluation: { phase: { ready: boolean } } }) =>
  r.decision === "advance" && !r.evaluation.phase.ready;
