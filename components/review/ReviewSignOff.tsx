"use client";
// The sign-off bar of an undecided review: the signed-in person signs off once.
import type { ApiReview } from "@/lib/contracts/reviews";
import { useSignOffMutation } from "@/lib/hooks/mutations";
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";

export function ReviewSignOff({ r, onError }: { r: ApiReview; onError: (message: string) => void }) {
  const signOff = useSignOffMutation(r.id);
  const me = useSessionQuery().data?.person ?? null;
  const iSigned = me !== null && r.sign_offs.some((s) => s.by === me.id);
  return (
    <p className="toolbar" data-testid="sign-off-bar">
      {me ? (
        <button
          type="button"
          disabled={iSigned || signOff.isPending}
          onClick={() => signOff.mutate({}, { onError: (err) => onError(err.message) })}
        >
          {iSigned ? `Signed off as ${me.name}` : `Sign off as ${me.name}`}
        </button>
      ) : (
        <span className="muted">Sign in to sign off or record a decision.</span>
      )}
    </p>
  );
}
