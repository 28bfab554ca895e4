"use client";
// What a review is: when and by whom, over which window, who attended, what was decided and
// why, who signed off.
import type { ApiReview } from "@/lib/contracts/reviews";
import { Time } from "../Time";
import { isOverride } from "@/lib/core/decision";

export function ReviewFacts({ r }: { r: ApiReview }) {
  const e = r.evaluation;
  const signed = new Set(r.sign_offs.map((s) => s.by));
  const missing = r.attendees.filter((a) => !signed.has(a.toLowerCase()));
  return (
    <dl className="facts">
      <dt>Started</dt>
      <dd>
        <Time at={r.created_at} /> by {r.created_by}
      </dd>
      <dt>Evaluated</dt>
      <dd>
        <Time at={e.evaluated_at} /> over {r.window} (frozen: later data never changes this review)
        {e.simulated ? " · simulated data" : ""}
      </dd>
      <dt>Current phase then</dt>
      <dd>{e.current_phase}</dd>
      <dt>Attendees</dt>
      <dd>{r.attendees.join(", ") || "—"}</dd>
      <dt>Decision</dt>
      <dd data-testid="decision">
        {r.decision ? (
          <>
            {r.decision.replace("_", " ")}
            {isOverride(r) ? <strong> — override: Phase {r.phase} was not ready</strong> : null} (
            <Time at={r.decided_at!} />
            {r.decided_by ? ` by ${r.decided_by}` : ""})
          </>
        ) : (
          "—"
        )}
      </dd>
      {r.rationale ? (
        <>
          <dt>Rationale</dt>
          <dd className="notes">{r.rationale}</dd>
        </>
      ) : null}
      {r.action_items.length ? (
        <>
          <dt>Action items</dt>
          <dd>
            <ul data-testid="action-items">
              {r.action_items.map((a, i) => (
                <li key={i}>
                  {a.text} — {a.owner}
                  {a.due ? `, due ${a.due.slice(0, 10)}` : ""}
                </li>
              ))}
            </ul>
          </dd>
        </>
      ) : null}
      {r.follow_up ? (
        <>
          <dt>Follow-up</dt>
          <dd>{r.follow_up.slice(0, 10)}</dd>
        </>
      ) : null}
      <dt>Signed off by</dt>
      <dd data-testid="sign-offs">
        {r.sign_offs.length
          ? r.sign_offs.map((s, i) => (
              <span key={s.by}>
                {i > 0 ? "; " : ""}
                {/* A local identity is its name: shown once, not "ana <ana>". */}
                {s.name}
                {s.name.toLowerCase() === s.by.toLowerCase() ? "" : ` <${s.by}>`}{" "}
                {s.at ? <Time at={s.at} /> : "(unverified)"}
              </span>
            ))
          : "—"}
        {!r.decision && r.sign_offs.length < r.min_sign_offs ? (
          <div className="muted" data-testid="sign-offs-missing">
            An advance needs {r.min_sign_offs} sign-off(s): {r.min_sign_offs - r.sign_offs.length} more
            {missing.length ? ` (not yet signed: ${missing.join(", ")})` : ""}.
          </div>
        ) : null}
      </dd>
    </dl>
  );
}
