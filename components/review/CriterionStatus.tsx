"use client";
// A criterion's status as a block read across a room: an icon and the words, not colour alone;
// and the phase's summary line ("1 of 3 criteria not met"). Shared by the phases page and reviews.
import type { Criterion, CriterionStatus as Status } from "@/lib/core/phase-types";
import { criteriaSummary } from "@/lib/ui/criteria-summary";

const LOOK: Record<Status, { icon: string; words: string; cls: string }> = {
  met: { icon: "✓", words: "met", cls: "st-met" },
  not_met: { icon: "✕", words: "not met", cls: "st-not-met" },
  insufficient_data: { icon: "?", words: "insufficient data", cls: "st-insufficient" },
};

export function CriterionStatus({ status }: { status: Status }) {
  const l = LOOK[status];
  return (
    <span className={`status-block ${l.cls}`} data-testid="criterion-status">
      <span className="status-icon" aria-hidden="true">
        {l.icon}
      </span>{" "}
      {l.words}
    </span>
  );
}

export function CriteriaSummary({ criteria }: { criteria: Pick<Criterion, "status">[] }) {
  const bad = criteria.some((c) => c.status === "not_met");
  return (
    <p className={`criteria-summary ${bad ? "tone-bad" : "tone-ok"}`} data-testid="criteria-summary">
      {criteriaSummary(criteria)}
    </p>
  );
}
