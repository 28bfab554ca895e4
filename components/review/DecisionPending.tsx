"use client";
// A recorded decision inside its undo window: what was decided, when it freezes, and Undo.
// The server decides when it freezes (undo_until); this only counts down to it.
import type { ApiReview } from "@/lib/contracts/reviews";
import { useUndoDecisionMutation } from "@/lib/hooks/mutations";
import { useNow } from "@/lib/hooks/useNow";
import { Time } from "../Time";

export function DecisionPending({ r, editor }: { r: ApiReview; editor: boolean }) {
  const undo = useUndoDecisionMutation(r.id);
  const now = useNow(1000);
  if (r.decision_state !== "pending" || !r.undo_until) return null;
  const left = Math.max(0, Math.ceil((new Date(r.undo_until).getTime() - now.getTime()) / 1000));
  return (
    <section className="decision-pending" role="status" aria-live="polite" data-testid="decision-pending">
      <p>
        <strong>Decision recorded: {r.decision?.replace("_", " ")}</strong> — pending. It freezes at{" "}
        <Time at={r.undo_until} /> (in {left} s); until then it can be undone.
      </p>
      {editor ? (
        <button type="button" disabled={undo.isPending} onClick={() => undo.mutate()}>
          Undo the decision
        </button>
      ) : null}
      {undo.error ? (
        <p className="error" role="alert">
          {undo.error.message}
        </p>
      ) : null}
    </section>
  );
}
