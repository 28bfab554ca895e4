// The rollback signal (ADR-0098): after an advance, the previous phase's criteria that fail now,
// each with how it stood at the advance, so "regressed" is said only of what was met then. Pure.
import type { CriterionStatus, PhaseResult } from "./phase-types";

export type RollbackCriterion = {
  id: string;
  /** the criterion's human name (the id stays in `id`) */
  title: string;
  /** its status evaluated at the advance; null when it could not be evaluated then */
  at_advance: CriterionStatus | null;
};

export type RollbackSignal = {
  phase: number;
  /** ids of the previous phase's criteria not met now (alerts and /metrics use them) */
  failing: string[];
  criteria: RollbackCriterion[];
  /** when the current phase started (the advance) */
  advanced_at: string | null;
};

/** After an advance to `current`, the previous phase's criteria failing now are a rollback signal. */
export function rollbackSignal(
  current: number,
  results: PhaseResult[],
  atAdvance: PhaseResult | null = null,
  advancedAt: string | null = null,
): RollbackSignal | null {
  if (current === 0) return null;
  const prev = results[current - 1];
  if (!prev) return null;
  const failing = prev.criteria.filter((c) => c.status === "not_met");
  if (!failing.length) return null;
  const then = new Map((atAdvance?.criteria ?? []).map((c) => [c.id, c.status]));
  return {
    phase: current,
    failing: failing.map((c) => c.id),
    criteria: failing.map((c) => ({ id: c.id, title: c.title, at_advance: then.get(c.id) ?? null })),
    advanced_at: advancedAt,
  };
}

/** "regressed" only for a criterion met at the advance; otherwise what it was then. */
export function rollbackWords(c: Pick<RollbackCriterion, "at_advance">): string {
  if (c.at_advance === "met") return "regressed since the advance";
  if (c.at_advance === "not_met") return "already failing when advanced";
  return "not measured when advanced";
}

/** The signal as one sentence, with human names: banners, alerts, exports. */
export function rollbackText(s: RollbackSignal): string {
  const parts = s.criteria.map((c) => `${c.title} (${rollbackWords(c)})`);
  return (
    `Since the advance to Phase ${s.phase}, ${parts.length} of Phase ${s.phase - 1}'s criteria ` +
    `${parts.length === 1 ? "is" : "are"} not met: ${parts.join("; ")}. See the ADR's rollback plan.`
  );
}
