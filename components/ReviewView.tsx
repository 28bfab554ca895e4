"use client";
import Link from "next/link";
import { useState } from "react";
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";
import { useSearchParams } from "next/navigation";
import { useReviewQuery } from "@/lib/hooks/useReviewQuery";
import { Time } from "./Time";
import { ReviewFacts } from "./review/ReviewFacts";
import { ReviewModeWarnings } from "./review/ReviewModeWarnings";
import { ReviewCriteria } from "./review/ReviewCriteria";
import { ReviewSignOff } from "./review/ReviewSignOff";
import { ReviewForm } from "./review/ReviewForm";

/** A phase review: its facts, the criteria it froze, sign-offs and (for editors) the form. */
export function ReviewView({ id }: { id: string }) {
  const q = useReviewQuery(id);
  const print = useSearchParams().get("print") === "1";
  const r = q.data;
  const session = useSessionQuery().data;
  const [error, setError] = useState<string | null>(null);
  if (q.isPending)
    return (
      <p className="muted" role="status">
        Loading the review…
      </p>
    );
  if (q.error || !r)
    return (
      <p className="error" role="alert">
        Could not load review {id}: {(q.error as Error | null)?.message}
      </p>
    );
  const e = r.evaluation;
  const me = session?.person ?? null;
  return (
    <article className={`page review ${print ? "print" : ""}`} data-testid="review-ready">
      {!print ? (
        <p className="crumbs">
          <Link href="/phases">Phases</Link> / review {r.id}
        </p>
      ) : null}
      <h1>
        Phase {r.phase} review — {r.decision ? r.decision.replace("_", " ") : "undecided"}
      </h1>
      <ReviewFacts r={r} />
      <ReviewModeWarnings modes={e.modes} />
      <ReviewCriteria p={e.phase} accepted={r.accept_acknowledged} />
      {e.next ? <ReviewCriteria p={e.next} accepted={r.accept_acknowledged} /> : null}
      {e.acknowledgements?.length ? (
        <section data-testid="review-acks">
          <h2>Acknowledged differences in force when the review started</h2>
          <ul>
            {e.acknowledgements.map((a) => (
              <li key={a.id}>
                {a.project}
                {a.source ? ` · ${a.source}` : ""}
                {a.kind ? ` · ${a.kind}` : ""}: {a.reason} — {a.owner}, until <Time at={a.expiresAt} />
              </li>
            ))}
          </ul>
          <p>
            {r.accept_acknowledged
              ? "This review accepts these differences: verdicts without them apply."
              : "This review does not accept them: the raw verdicts apply."}
          </p>
        </section>
      ) : null}
      <h2>Notes</h2>
      <p className="notes">{r.notes || "—"}</p>
      {!print ? (
        <>
          <p className="exports">
            Export: <a href={`/api/v1/reviews/${r.id}/export?format=md`}>Markdown</a> ·{" "}
            <a href={`/api/v1/reviews/${r.id}/export?format=json`}>JSON</a> ·{" "}
            <a href={`/api/v1/reviews/${r.id}/export?format=pdf`}>PDF</a> ·{" "}
            <button type="button" onClick={() => window.print()}>
              Print
            </button>
          </p>
          {!r.decision ? <ReviewSignOff r={r} onError={setError} /> : null}
          {!r.decision && me?.editor ? (
            <ReviewForm r={r} error={error} setError={setError} />
          ) : (
            <p className="muted">Decided: this review is frozen.</p>
          )}
        </>
      ) : null}
    </article>
  );
}
