// A phase's summary line for people: how many criteria fail or lack data. Pure.
import type { Criterion } from "../core/phase-types";

/** "1 of 3 criteria not met · 1 of 3 without enough data", or "all 3 criteria met". */
export function criteriaSummary(criteria: Pick<Criterion, "status">[]): string {
  const n = criteria.length;
  const failing = criteria.filter((c) => c.status === "not_met").length;
  const missing = criteria.filter((c) => c.status === "insufficient_data").length;
  if (!failing && !missing) return `all ${n} criteria met`;
  return [
    ...(failing ? [`${failing} of ${n} criteria not met`] : []),
    ...(missing ? [`${missing} of ${n} without enough data`] : []),
  ].join(" · ");
}
