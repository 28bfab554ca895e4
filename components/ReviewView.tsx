"use client";
import Link from "next/link";
import { useState } from "react";
import { useSignOffMutation, useUpdateReviewMutation } from "@/lib/hooks/mutations";
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";
import { useSearchParams } from "next/navigation";
import { useReviewQuery } from "@/lib/hooks/useReviewQuery";
import { DECISIONS, type Decision } from "@/lib/contracts/reviews";
import type { PhaseResult } from "@/lib/core/phases";
import { formatActual, formatValue } from "@/lib/core/format";
import { Time } from "./Time";
import { Evidence } from "./Evidence";

function Criteria({ p, accepted }: { p: PhaseResult; accepted: boolean }) {
  return (
    <section className="scorecard">
      <header className="panel-head">
        <h2>{p.title}</h2>
        <span className={`badge ${p.ready ? "h-consistent" : "h-diverged"}`}>
          {p.ready ? "ready" : "not ready"}
        </span>
      </header>
      <table className="criteria">
        <thead>
          <tr>
            <th scope="col">criterion</th>
            <th scope="col">target</th>
            <th scope="col">actual</th>
            <th scope="col">status</th>
            <th scope="col">evidence</th>
          </tr>
        </thead>
        <tbody>
          {p.criteria.map((c) => (
            <tr key={c.id} data-criterion={c.id}>
              <th scope="row">{c.title}</th>
              <td>{c.target}</td>
              <td className="mono">
                {formatActual(c)}
                {c.acknowledged ? (
                  <div className="muted" data-testid="acknowledged-actual">
                    without acknowledged: {formatValue(c.id, c.acknowledged.actual)}
                  </div>
                ) : null}
              </td>
              <td>
                {c.status.replace("_", " ")}
                {c.acknowledged && c.acknowledged.status !== c.status ? (
                  <div className="error" data-testid="ack-changes-verdict">
                    An acknowledgement changes this verdict: {c.acknowledged.status.replace("_", " ")} without
                    the {c.acknowledged.left_out} acknowledged diverged checks
                    {accepted
                      ? " (accepted by this review)"
                      : " (the raw verdict stands unless the review accepts them)"}
                  </div>
                ) : null}
              </td>
              <td>
                {c.evidence.summary}
                {c.evidence.minimum && c.status === "insufficient_data"
                  ? ` (needs ${c.evidence.minimum})`
                  : ""}
                {c.evidence.details !== undefined ? (
                  <details className="evidence-details">
                    <summary>details</summary>
                    <Evidence details={c.evidence.details} caption={`Evidence for ${c.id}`} />
                  </details>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** "owner: what to do (due 2026-12-04)", one per line, into action items. */
function parseActions(text: string) {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^([^:]+):\s*(.+?)(?:\s*\(due (\d{4}-\d{2}-\d{2})\))?$/.exec(l);
      return m
        ? { owner: m[1]!.trim(), text: m[2]!.trim(), due: m[3] ? `${m[3]}T00:00:00Z` : null }
        : { owner: "unassigned", text: l, due: null };
    });
}

export function ReviewView({ id }: { id: string }) {
  const q = useReviewQuery(id);
  const print = useSearchParams().get("print") === "1";
  const update = useUpdateReviewMutation(id);
  const r = q.data;
  const [draft, setDraft] = useState<{
    attendees: string;
    notes: string;
    decision: Decision | "";
    accept: boolean;
    rationale: string;
    confirm: boolean;
    recordPhase: boolean;
    actions: string;
    followUp: string;
  } | null>(null);
  const session = useSessionQuery().data;
  const signOff = useSignOffMutation(id);
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
  const d = draft ?? {
    attendees: r.attendees.join(", "),
    notes: r.notes,
    decision: r.decision ?? "",
    accept: r.accept_acknowledged,
    rationale: r.rationale,
    confirm: false,
    recordPhase: true,
    actions: r.action_items
      .map((a) => `${a.owner}: ${a.text}${a.due ? ` (due ${a.due.slice(0, 10)})` : ""}`)
      .join("\n"),
    followUp: r.follow_up?.slice(0, 10) ?? "",
  };
  const list = (s: string) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
  const save = async (decide: boolean) => {
    setError(null);
    const body = {
      attendees: list(d.attendees),
      notes: d.notes,
      accept_acknowledged: d.accept,
      rationale: d.rationale,
      action_items: parseActions(d.actions),
      follow_up: d.followUp ? `${d.followUp}T00:00:00Z` : null,
      ...(decide && d.decision
        ? { decision: d.decision, confirm_not_ready: d.confirm, record_phase: d.recordPhase }
        : {}),
    };
    try {
      await update.mutateAsync(body);
      setDraft(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const e = r.evaluation;
  const signed = new Set(r.sign_offs.map((s) => s.by));
  const missing = r.attendees.filter((a) => !signed.has(a.toLowerCase()));
  const me = session?.person ?? null;
  const iSigned = me !== null && signed.has(me.id);
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
              {r.decision.replace("_", " ")} (<Time at={r.decided_at!} />
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
                  {s.name} &lt;{s.by}&gt; {s.at ? <Time at={s.at} /> : "(unverified)"}
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
      <Criteria p={e.phase} accepted={r.accept_acknowledged} />
      {e.next ? <Criteria p={e.next} accepted={r.accept_acknowledged} /> : null}
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
          {!r.decision ? (
            <p className="toolbar" data-testid="sign-off-bar">
              {me ? (
                <button
                  type="button"
                  disabled={iSigned || signOff.isPending}
                  onClick={() => signOff.mutate({}, { onError: (err) => setError(err.message) })}
                >
                  {iSigned ? `Signed off as ${me.name}` : `Sign off as ${me.name}`}
                </button>
              ) : (
                <span className="muted">Sign in to sign off or record a decision.</span>
              )}
            </p>
          ) : null}
          {!r.decision && me?.editor ? (
            <form
              className="review-form"
              onSubmit={(ev) => {
                ev.preventDefault();
                void save(true);
              }}
            >
              <label>
                Attendees{" "}
                <input
                  aria-label="Attendees"
                  value={d.attendees}
                  onChange={(x) => setDraft({ ...d, attendees: x.target.value })}
                  placeholder="comma-separated"
                />
              </label>
              <label>
                Notes{" "}
                <textarea
                  aria-label="Notes"
                  value={d.notes}
                  rows={4}
                  onChange={(x) => setDraft({ ...d, notes: x.target.value })}
                />
              </label>
              {e.acknowledgements?.length ? (
                <label>
                  <input
                    type="checkbox"
                    aria-label="Accept the acknowledged differences"
                    checked={d.accept}
                    onChange={(x) => setDraft({ ...d, accept: x.target.checked })}
                  />{" "}
                  Accept the acknowledged differences (verdicts without them apply)
                </label>
              ) : null}
              <label>
                Action items{" "}
                <textarea
                  aria-label="Action items"
                  rows={3}
                  placeholder="one per line: owner: what to do (due 2026-12-04)"
                  value={d.actions}
                  onChange={(x) => setDraft({ ...d, actions: x.target.value })}
                />
              </label>
              <label>
                Follow-up{" "}
                <input
                  type="date"
                  aria-label="Follow-up date"
                  value={d.followUp}
                  onChange={(x) => setDraft({ ...d, followUp: x.target.value })}
                />
              </label>
              <label>
                Rationale{" "}
                <textarea
                  aria-label="Rationale"
                  rows={2}
                  value={d.rationale}
                  placeholder={
                    !e.phase.ready ? "required to advance: the criteria are not all met" : "why this decision"
                  }
                  onChange={(x) => setDraft({ ...d, rationale: x.target.value })}
                />
              </label>
              <label>
                Decision{" "}
                <select
                  aria-label="Decision"
                  value={d.decision}
                  onChange={(x) => setDraft({ ...d, decision: x.target.value as Decision | "" })}
                >
                  <option value="">—</option>
                  {DECISIONS.map((x) => (
                    <option key={x} value={x}>
                      {x.replace("_", " ")}
                    </option>
                  ))}
                </select>
              </label>
              {d.decision === "advance" && !e.phase.ready ? (
                <label className="error">
                  <input
                    type="checkbox"
                    aria-label="Advance although not ready"
                    checked={d.confirm}
                    onChange={(x) => setDraft({ ...d, confirm: x.target.checked })}
                  />{" "}
                  Phase {r.phase} is not ready: I advance anyway, for the rationale above
                </label>
              ) : null}
              {d.decision === "advance" || d.decision === "roll_back" ? (
                <label>
                  <input
                    type="checkbox"
                    aria-label="Record the phase change"
                    checked={d.recordPhase}
                    onChange={(x) => setDraft({ ...d, recordPhase: x.target.checked })}
                  />{" "}
                  Also record Phase {d.decision === "advance" ? r.phase + 1 : r.phase - 1} as the current
                  phase
                </label>
              ) : null}
              <div>
                <button type="button" onClick={() => void save(false)}>
                  Save draft
                </button>{" "}
                <button type="submit" disabled={!d.decision}>
                  Record decision
                </button>
              </div>
              {error ? (
                <p className="error" role="alert">
                  {error}
                </p>
              ) : null}
            </form>
          ) : (
            <p className="muted">Decided: this review is frozen.</p>
          )}
        </>
      ) : null}
    </article>
  );
}
