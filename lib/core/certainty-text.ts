// Issue 24 in words beside a criterion, and which met criteria are not settled: imported by the
// pages, so it needs only the criterion's shape (the engine in certainty.ts pulls hashing in). Pure.
import { percent } from "./format";
import type { Criterion, PhaseResult } from "./phase-types";

/**
 * The criteria an advance would rest on although their interval still straddles the target:
 * met but not settled (one not met already makes the phase not ready, confirmed apart).
 */
export const unsettledCriteria = (p: Pick<PhaseResult, "criteria">): Criterion[] =>
  p.criteria.filter((c) => c.settled === false && c.status === "met");

const days = (s: number) => (s / 86400).toFixed(1);

/**
 * One line for people beside a criterion (the pages and the Markdown export): a rate's interval
 * and whether it is settled, or a duration's progress and the date it is met. Null otherwise.
 */
export function certaintyText(c: Criterion): string | null {
  if (c.progress) {
    const done = `${days(Math.min(c.progress.done_s, c.progress.needed_s))} of ${days(c.progress.needed_s)} days`;
    if (c.status === "met") return `${done}: met`;
    return c.met_eta
      ? `${done}: met on ${c.met_eta.slice(0, 10)} if nothing regresses`
      : `${done}: no date yet`;
  }
  if (c.settled === undefined) return null;
  if (!c.confidence) return "no observations yet: not settled";
  const iv = `95% interval ${percent(c.confidence.low)}–${percent(c.confidence.high)}`;
  if (c.settled) return `${iv}: settled`;
  return `${iv}: not settled${c.settle_eta ? ` (${c.settle_eta.text})` : ""}`;
}
