"use client";
// A phase's criteria as the review froze them, with what acknowledged differences change.
import type { PhaseResult } from "@/lib/core/phase-types";
import { formatActual, formatValue } from "@/lib/core/format";
import { CriteriaTable, ReadyBadge } from "../CriteriaTable";
import { Evidence } from "../Evidence";
import { Prediction } from "../phases/Prediction";
import { PhaseTimeline } from "./Certainty";
import { CriteriaSummary, CriterionStatus } from "./CriterionStatus";

export function ReviewCriteria({
  p,
  accepted,
  print = false,
}: {
  p: PhaseResult;
  accepted: boolean;
  /** the print layout (PDF): evidence shown in full, no toggles */
  print?: boolean;
}) {
  return (
    <section className="scorecard">
      <header className="panel-head">
        <h2>{p.title}</h2>
        <ReadyBadge ready={p.ready} />
      </header>
      <CriteriaSummary criteria={p.criteria} />
      <CriteriaTable
        criteria={p.criteria}
        actual={(c) => (
          <>
            {formatActual(c)}
            {c.acknowledged ? (
              <div className="muted" data-testid="acknowledged-actual">
                without acknowledged: {formatValue(c.id, c.acknowledged.actual)}
              </div>
            ) : null}
          </>
        )}
        status={(c) => (
          <>
            <CriterionStatus status={c.status} />
            {c.acknowledged && c.acknowledged.status !== c.status ? (
              <div className="error" data-testid="ack-changes-verdict">
                An acknowledgement changes this verdict: {c.acknowledged.status.replace("_", " ")} without the{" "}
                {c.acknowledged.left_out} acknowledged diverged checks
                {accepted
                  ? " (accepted by this review)"
                  : " (the raw verdict stands unless the review accepts them)"}
              </div>
            ) : null}
          </>
        )}
        evidence={(c) => (
          <>
            {c.evidence.summary}
            {c.evidence.minimum && c.status === "insufficient_data" ? ` (needs ${c.evidence.minimum})` : ""}
            {c.evidence.details !== undefined && print ? (
              <Evidence details={c.evidence.details} caption={`Evidence for ${c.id}`} />
            ) : c.evidence.details !== undefined ? (
              <details className="evidence-details">
                <summary>details</summary>
                <Evidence details={c.evidence.details} caption={`Evidence for ${c.id}`} />
              </details>
            ) : null}
          </>
        )}
      />
      <Prediction p={p} />
      <PhaseTimeline p={p} />
    </section>
  );
}
