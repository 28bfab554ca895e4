// The criterion builders the phases share: a divergence rate, covered time, a read-path rate,
// crash recoveries, port conflicts. Pure. Boundaries are exact: a 5.0% rate is not "< 5%".
import { recoveryMs } from "./instances";
import { percent, rate4 } from "./format";
import {
  MIN_CHECKS,
  MIN_COVERAGE,
  MIN_READS,
  RECOVERY_MAX_MS,
  type Criterion,
  type CriterionStatus,
  type PhaseInputs,
  type ReadCounts,
  type WindowCounts,
} from "./phase-types";

export const pct = (x: number) => percent(x);

export function rateCriterion(
  id: string,
  title: string,
  c: WindowCounts,
  limit: number,
  strictZero = false,
): Criterion {
  const target = strictZero ? "0 diverged checks" : `< ${limit * 100}% of checks diverged`;
  const goal = strictZero
    ? { target_value: 0, unit: "count" as const }
    : { target_value: limit, unit: "ratio" as const };
  const ack = c.divergedAck ?? 0;
  const left = c.diverged - ack;
  const enough = c.checks >= MIN_CHECKS;
  const verdict = (diverged: number): CriterionStatus =>
    !enough
      ? "insufficient_data"
      : (strictZero ? diverged === 0 : diverged / c.checks < limit)
        ? "met"
        : "not_met";
  const value = (diverged: number) => (strictZero ? diverged : c.checks ? rate4(diverged / c.checks) : null);
  // Beside the raw figure, the one without acknowledged findings (never instead of it).
  const acknowledged =
    ack && c.checks
      ? { acknowledged: { actual: value(left) ?? 0, status: verdict(left), left_out: ack } }
      : {};
  if (!enough) {
    return {
      id,
      title,
      target,
      ...goal,
      ...goal,
      actual: value(c.diverged),
      status: "insufficient_data",
      evidence: { summary: `${c.checks} checks in the window`, minimum: `at least ${MIN_CHECKS} checks` },
      ...acknowledged,
    };
  }
  const rate = c.diverged / c.checks;
  return {
    id,
    title,
    target,
    ...goal,
    actual: value(c.diverged),
    status: verdict(c.diverged),
    evidence: {
      summary:
        `${c.diverged} of ${c.checks} checks diverged (${pct(rate)}) over ${c.reachablePolls} polls` +
        (ack ? `; ${left} (${pct(left / c.checks)}) without the ${ack} explained by acknowledgements` : ""),
    },
    ...acknowledged,
  };
}

/** CONTRACT 6f: measured in covered time, so a change of interval or a backfill counts right. */
export function coverage(inp: PhaseInputs): Criterion {
  const cov = Math.min(1, inp.coveredMs / inp.windowMs);
  const first = inp.counts.firstPollAt ?? "none";
  const last = inp.counts.lastPollAt ?? "none";
  return {
    id: "collecting",
    title: "The dashboard has been collecting over the window",
    target: `stored polls cover ≥ ${MIN_COVERAGE * 100}% of the window`,
    actual: rate4(cov),
    status: cov >= MIN_COVERAGE ? "met" : "not_met",
    evidence: {
      summary:
        `${hours(inp.coveredMs)} of ${hours(inp.windowMs)} covered by ${inp.counts.polls} polls ` +
        `(consecutive polls at most 3 intervals apart; first ${first}, last ${last})`,
    },
  };
}

export const hours = (ms: number) =>
  ms >= 86400_000 ? `${(ms / 86400_000).toFixed(2)} d` : `${(ms / 3600_000).toFixed(2)} h`;

export function readCriterion(
  id: string,
  title: string,
  target: string,
  inp: PhaseInputs,
  value: (r: ReadCounts) => number,
  ok: (x: number) => boolean,
  limit: number,
): Criterion {
  const goal = { target_value: limit, unit: "ratio" as const };
  const r = inp.reads;
  const per = inp.readsByInstance.map((i) => ({
    instance: i.instanceId,
    reads: i.reads,
    value: i.reads ? rate4(value(i)) : null,
  }));
  if (r.reads < MIN_READS)
    return {
      id,
      title,
      target,
      ...goal,
      ...goal,
      actual: r.reads ? rate4(value(r)) : null,
      status: "insufficient_data",
      evidence: {
        summary: `${r.reads} read-path events in the window`,
        minimum: `at least ${MIN_READS} read events`,
        details: per,
      },
    };
  const x = value(r);
  return {
    id,
    title,
    target,
    ...goal,
    actual: rate4(x),
    status: ok(x) ? "met" : "not_met",
    evidence: { summary: `${pct(x)} over ${r.reads} reads from ${per.length} instance(s)`, details: per },
  };
}

export function restartsCriterion(inp: PhaseInputs): Criterion {
  const rs = inp.restarts;
  const details = rs.map((r) => ({
    instance: r.instanceId,
    previous: r.previousInstanceId,
    reason: r.reason,
    started_at: r.startedAt,
    detected_at: r.detectedAt,
    recovered_at: r.recoveredAt,
    recovered_in_ms: recoveryMs(r),
  }));
  if (rs.length === 0)
    return {
      id: "crash_recovery",
      title: "Every orchestrator restart recovered",
      target: `next snapshot matches Docker within ${RECOVERY_MAX_MS / 1000} s, no orphans`,
      actual: null,
      status: "insufficient_data",
      evidence: {
        summary: "no orchestrator restart in the window",
        minimum: "at least 1 restart to judge recovery",
        details,
      },
    };
  const bad = details.filter((d) => d.recovered_in_ms === null || d.recovered_in_ms > RECOVERY_MAX_MS);
  return {
    id: "crash_recovery",
    title: "Every orchestrator restart recovered",
    target: `next snapshot matches Docker within ${RECOVERY_MAX_MS / 1000} s, no orphans`,
    actual: `${rs.length - bad.length} of ${rs.length}`,
    status: bad.length === 0 ? "met" : "not_met",
    evidence: { summary: `${rs.length - bad.length} of ${rs.length} restarts recovered in time`, details },
  };
}

export function conflictsCriterion(c: WindowCounts): Criterion {
  const base = {
    id: "no_port_conflicts",
    title: "No port conflicts",
    target: "0",
    target_value: 0,
    unit: "count" as const,
    actual: c.portConflicts,
  };
  if (c.checks < MIN_CHECKS)
    return {
      ...base,
      status: "insufficient_data",
      evidence: { summary: `${c.checks} checks in the window`, minimum: `at least ${MIN_CHECKS} checks` },
    };
  return {
    ...base,
    status: c.portConflicts === 0 ? "met" : "not_met",
    evidence: { summary: `${c.portConflicts} port_conflict findings over ${c.reachablePolls} polls` },
  };
}
