"use client";
// An editor's form on an undecided review: attendees, notes, actions, rationale, the decision.
import { useState } from "react";
import { useUpdateReviewMutation } from "@/lib/hooks/mutations";
import { DECISIONS, type ApiReview, type Decision } from "@/lib/contracts/reviews";
import { actionsText, commaList, parseActions } from "@/lib/ui/review";
import { unsettledCriteria } from "@/lib/core/certainty-text";
import { FetchError } from "@/lib/query";

/** The fields an error may name: shown next to the field (aria-describedby), not below the form. */
const FIELDS = ["attendees", "rationale", "confirm_not_ready", "confirm_unsettled", "decision"] as const;
type Field = (typeof FIELDS)[number];
const fieldOf = (err: unknown): Field | null => {
  const f =
    err instanceof FetchError ? (err.body as { error?: { field?: string } } | null)?.error?.field : null;
  return FIELDS.find((x) => x === f) ?? null;
};

type Draft = {
  attendees: string;
  notes: string;
  decision: Decision | "";
  accept: boolean;
  rationale: string;
  confirm: boolean;
  confirmUnsettled: boolean;
  recordPhase: boolean;
  actions: string;
  followUp: string;
};

export function ReviewForm({
  r,
  error,
  setError,
}: {
  r: ApiReview;
  error: string | null;
  setError: (message: string | null) => void;
}) {
  const update = useUpdateReviewMutation(r.id);
  const [draft, setDraft] = useState<Draft | null>(null);
  // "Record decision" asks first; the recorded decision can then be undone until it freezes.
  const [confirming, setConfirming] = useState(false);
  const [fieldError, setFieldError] = useState<{ field: Field; message: string } | null>(null);
  const errorFor = (f: Field) => (fieldError?.field === f ? fieldError.message : null);
  const described = (f: Field) =>
    errorFor(f) ? { "aria-describedby": `review-error-${f}`, "aria-invalid": true as const } : {};
  const fieldErrorAt = (f: Field) =>
    errorFor(f) ? (
      <span className="error field-error" id={`review-error-${f}`} role="alert">
        {errorFor(f)}
      </span>
    ) : null;
  const e = r.evaluation;
  const unsettled = unsettledCriteria(e.phase);
  const d = draft ?? {
    attendees: r.attendees.join(", "),
    notes: r.notes,
    decision: r.decision ?? "",
    accept: r.accept_acknowledged,
    rationale: r.rationale,
    confirm: false,
    confirmUnsettled: false,
    recordPhase: true,
    actions: actionsText(r.action_items),
    followUp: r.follow_up?.slice(0, 10) ?? "",
  };
  const save = async (decide: boolean) => {
    setError(null);
    setFieldError(null);
    setConfirming(false);
    const body = {
      attendees: commaList(d.attendees),
      notes: d.notes,
      accept_acknowledged: d.accept,
      rationale: d.rationale,
      action_items: parseActions(d.actions),
      follow_up: d.followUp ? `${d.followUp}T00:00:00Z` : null,
      ...(decide && d.decision
        ? {
            decision: d.decision,
            confirm_not_ready: d.confirm,
            confirm_unsettled: d.confirmUnsettled,
            record_phase: d.recordPhase,
          }
        : {}),
    };
    try {
      await update.mutateAsync(body);
      setDraft(null);
    } catch (err) {
      const field = fieldOf(err);
      if (field) setFieldError({ field, message: (err as Error).message });
      else setError((err as Error).message);
    }
  };
  return (
    <form
      className="review-form"
      onSubmit={(ev) => {
        ev.preventDefault();
        setConfirming(true);
      }}
    >
      <label>
        Attendees{" "}
        <input
          aria-label="Attendees"
          {...described("attendees")}
          value={d.attendees}
          onChange={(x) => setDraft({ ...d, attendees: x.target.value })}
          placeholder="comma-separated"
        />
        {fieldErrorAt("attendees")}
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
        <label className="check">
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
          {...described("rationale")}
          rows={2}
          value={d.rationale}
          placeholder={
            !e.phase.ready ? "required to advance: the criteria are not all met" : "why this decision"
          }
          onChange={(x) => setDraft({ ...d, rationale: x.target.value })}
        />
        {fieldErrorAt("rationale")}
      </label>
      <label>
        Decision{" "}
        <select
          aria-label="Decision"
          {...described("decision")}
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
        {fieldErrorAt("decision")}
      </label>
      {d.decision === "advance" && !e.phase.ready ? (
        <label className="check error">
          <input
            type="checkbox"
            aria-label="Advance although not ready"
            {...described("confirm_not_ready")}
            checked={d.confirm}
            onChange={(x) => setDraft({ ...d, confirm: x.target.checked })}
          />{" "}
          Phase {r.phase} is not ready: I advance anyway, for the rationale above (an override)
          {fieldErrorAt("confirm_not_ready")}
        </label>
      ) : null}
      {d.decision === "advance" && unsettled.length ? (
        <label className="error check">
          <input
            type="checkbox"
            aria-label="Advance on criteria that are not settled"
            {...described("confirm_unsettled")}
            checked={d.confirmUnsettled}
            onChange={(x) => setDraft({ ...d, confirmUnsettled: x.target.checked })}
          />{" "}
          Not settled yet ({unsettled.map((c) => c.title).join(", ")}): I advance on them anyway
          {fieldErrorAt("confirm_unsettled")}
        </label>
      ) : null}
      {d.decision === "advance" || d.decision === "roll_back" ? (
        <label className="check">
          <input
            type="checkbox"
            aria-label="Record the phase change"
            checked={d.recordPhase}
            onChange={(x) => setDraft({ ...d, recordPhase: x.target.checked })}
          />{" "}
          Also record Phase {d.decision === "advance" ? r.phase + 1 : r.phase - 1} as the current phase
        </label>
      ) : null}
      <div>
        <button type="button" onClick={() => void save(false)}>
          Save draft
        </button>{" "}
        <button type="submit" disabled={!d.decision || confirming}>
          Record decision
        </button>
      </div>
      {confirming && d.decision ? (
        <ConfirmDecision
          text={`Record "${d.decision.replace("_", " ")}" for Phase ${r.phase}${d.decision === "advance" && !e.phase.ready ? ", an override: the phase is not ready" : ""}? You can undo it for ${r.undo_seconds} s; then the review freezes.`}
          onConfirm={() => void save(true)}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** The confirmation step between "Record decision" and the request that records it. */
function ConfirmDecision({
  text,
  onConfirm,
  onCancel,
}: {
  text: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div className="confirm-decision" role="group" aria-labelledby="confirm-decision-text">
      <p id="confirm-decision-text">{text}</p>
      <button type="button" className="primary" onClick={onConfirm} autoFocus>
        Confirm the decision
      </button>{" "}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
