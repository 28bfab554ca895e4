"use client";
import Link from "next/link";
import { useState } from "react";
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";
import { usePathname, useSearchParams } from "next/navigation";
import { useReviewQuery } from "@/lib/hooks/useReviewQuery";
import { Time } from "./Time";
import { ReviewFacts } from "./review/ReviewFacts";
import { ReviewModeWarnings } from "./review/ReviewModeWarnings";
import { ReviewCriteria } from "./review/ReviewCriteria";
import { ReviewSignOff } from "./review/ReviewSignOff";
import { ReviewForm } from "./review/ReviewForm";
import { ReviewMissing } from "./review/ReviewMissing";
import { DecisionPending } from "./review/DecisionPending";
import { isOverride } from "@/lib/core/decision";

/** A phase review: its facts, the criteria it froze, sign-offs and (for editors) the form. */
export function ReviewView({ id }: { id: string }) {
  const q = useReviewQuery(id);
  const params = useSearchParams();
  const pathname = usePathname();
  const print = params.get("print") === "1";
  const meeting = params.get("meeting") === "1" && !print;
  const setMeeting = (on: boolean) => {
    const next = new URLSearchParams(window.location.search);
    if (on) next.set("meeting", "1");
    else next.delete("meeting");
    const qs = next.toString();
    window.history.replaceState(null, "", `${pathname}${qs ? `?${qs}` : ""}`);
  };
  const r = q.data;
  const session = useSessionQuery().data;
  const [error, setError] = useState<string | null>(null);
  if (q.isPending)
    return (
      <p className="muted" role="status">
        Loading the review…
      </p>
    );
  if (q.error || !r) return <ReviewMissing id={id} error={q.error} />;
  const e = r.evaluation;
  const me = session?.person ?? null;
  return (
    <article
      className={`page review ${print ? "print" : ""} ${meeting ? "meeting" : ""}`}
      data-testid="review-ready"
    >
      {!print ? (
        <div className="page-head">
          <p className="crumbs">
            <Link href="/phases">Phases</Link> / review {r.id}
          </p>
          <button
            type="button"
            aria-pressed={meeting}
            className={meeting ? "active" : ""}
            onClick={() => setMeeting(!meeting)}
          >
            Meeting mode
          </button>
        </div>
      ) : null}
      <h1>
        Phase {r.phase} review — {r.decision ? r.decision.replace("_", " ") : "undecided"}
        {r.decision_state === "pending" ? " (pending)" : ""}
        {isOverride(r) ? (
          <span className="badge h-diverged override-flag" data-testid="override-flag">
            override: Phase {r.phase} was not ready
          </span>
        ) : null}
      </h1>
      <ReviewModeWarnings modes={e.modes} />
      {/* In a meeting the verdicts come first, the facts after them. */}
      {!meeting ? <ReviewFacts r={r} /> : null}
      <ReviewCriteria p={e.phase} accepted={r.accept_acknowledged} print={print} />
      {e.next ? <ReviewCriteria p={e.next} accepted={r.accept_acknowledged} print={print} /> : null}
      {meeting ? <ReviewFacts r={r} /> : null}
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
          <DecisionPending r={r} editor={me?.editor === true} />
          {!r.decision ? <ReviewSignOff r={r} onError={setError} /> : null}
          {!r.decision && me?.editor ? (
            <ReviewForm r={r} error={error} setError={setError} />
          ) : r.decision_state === "frozen" ? (
            <p className="muted" data-testid="frozen">
              Decided: this review is frozen.
            </p>
          ) : null}
        </>
      ) : null}
    </article>
  );
}
