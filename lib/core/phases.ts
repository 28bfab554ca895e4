// ADR-0098's phase criteria as a pure engine: figures for a window in, per-phase criteria out
// with target, actual, status and evidence. No I/O, no clock: `now` is in the inputs.
// Boundaries are exact: a 5.0% rate is not "< 5%".

import { recoveryMs } from "./instances";
import { staleCacheCriterion } from "./adr/reads";
import { invalidLabelKinds } from "./adr/labels";
import { withCrashLeaks } from "./adr/leaks";
import { withAllocationFailures } from "./adr/allocations";

export type CriterionStatus = "met" | "not_met" | "insufficient_data";

export type Criterion = {
  id: string;
  title: string;
  target: string;
  actual: string | number | null;
  status: CriterionStatus;
  evidence: { summary: string; minimum?: string; details?: unknown };
  /**
   * The same criterion without acknowledged findings (known differences), beside the raw one.
   * The verdict (`status`, `ready`) is the raw one unless a review explicitly accepts these.
   */
  acknowledged?: { actual: number; status: CriterionStatus; left_out: number };
};

export type PhaseResult = {
  phase: number;
  title: string;
  window: string;
  ready: boolean;
  criteria: Criterion[];
};

export type WindowCounts = {
  checks: number;
  diverged: number;
  /** diverged checks explained by acknowledgements alone (0 when none was in force) */
  divergedAck?: number;
  polls: number;
  reachablePolls: number;
  portConflicts: number;
  firstPollAt: string | null;
  lastPollAt: string | null;
};
/** `reads` leaves out cache reads (CONTRACT 7g); `cache`, `staleCache` count them apart. */
export type ReadCounts = {
  reads: number;
  fallback: number;
  dockerOk: number;
  cache?: number;
  staleCache?: number;
};

export type PhaseInputs = {
  now: string;
  windowLabel: string;
  windowMs: number;
  pollIntervalMs: number;
  counts: WindowCounts;
  /** Docker requests other than GET that the collector attempted (all refused); null when unknown */
  dockerWriteAttempts: number;
  /** containers first seen in the window after Phase 1 started (all of them when it has not) */
  newContainers: {
    id: string;
    project: string;
    firstSeenAt: string;
    labelIssues: string[];
    /** the Phase 1 labels it carries (com.l9.project_hash, com.l9.port, com.l9.project_path) */
    labels: string[];
  }[];
  /**
   * Time in the window covered by stored polls (CONTRACT 6f): the sum of the gaps between
   * consecutive polls that are at most 3 poll intervals apart, each at its own interval.
   */
  coveredMs: number;
  /**
   * A server's hosts (issue 14), each with its own counts and covered time; empty for one
   * machine. The fleet figures above are their sums (covered time: the least-covered host's).
   */
  byHost: { host: string; counts: WindowCounts; coveredMs: number }[];
  phase1StartedAt: string | null;
  /** L9_LABEL_HASH_PREFIX_OK (CONTRACT 7d): a 12-hex prefix of the right hash counts as valid */
  labelHashPrefixOk?: boolean;
  reads: ReadCounts;
  readsByInstance: (ReadCounts & { instanceId: string })[];
  /** divergence over the Phase 1 period (the comparison for Phase 2), null when none recorded */
  phase1Counts: WindowCounts | null;
  restarts: {
    instanceId: string;
    previousInstanceId: string;
    /** the new process's own start time */
    startedAt: string;
    detectedAt: string;
    recoveredAt: string | null;
    reason: string;
  }[];
  /** Phase 3 start and the last 28 days' counts, for Phase 4 */
  phase3StartedAt: string | null;
  last28d: WindowCounts;
  last28dRestartsUnrecovered: number;
  latency: { samples: number; p50: number | null; p95: number | null };
  /** CONTRACT 7b: containers leaked by a crash (their last holder went stale), still leaked */
  crashLeaked?: { project: string; container_id: string; source: string }[];
  /** CONTRACT 7c: allocation_failed events in the window (Docker refused to bind) */
  allocationFailures?: number;
  signOff: { reviewId: string; decision: string; signOffs: string[]; at: string } | null;
};

export const PHASE_TITLES = [
  "Phase 0: measure divergence (observe only)",
  "Phase 1: new labels on every container",
  "Phase 2: read from Docker, dict as fallback",
  "Phase 3: Docker as the single source of truth",
  "Phase 4: remove the legacy state",
] as const;

/** Each phase's own evaluation length (the default window). */
export const PHASE_WINDOWS = ["7d", "7d", "14d", "28d", "28d"] as const;

export const MIN_CHECKS = 100;
export const MIN_READS = 100;
export const MIN_COVERAGE = 0.9;
export const RECOVERY_MAX_MS = 120_000;
export const STABLE_MS = 28 * 86400_000;
export const LIST_P95_TARGET_MS = 30;

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
/** CONTRACT 6f: every actual rounded for people: rates to 4 decimals, times to 0.1 ms. */
export const rate4 = (x: number) => Math.round(x * 1e4) / 1e4;
export const ms1 = (x: number) => Math.round(x * 10) / 10;

function rateCriterion(
  id: string,
  title: string,
  c: WindowCounts,
  limit: number,
  strictZero = false,
): Criterion {
  const target = strictZero ? "0 diverged checks" : `< ${limit * 100}% of checks diverged`;
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
function coverage(inp: PhaseInputs): Criterion {
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

const hours = (ms: number) =>
  ms >= 86400_000 ? `${(ms / 86400_000).toFixed(2)} d` : `${(ms / 3600_000).toFixed(2)} h`;

function phase0(inp: PhaseInputs): Criterion[] {
  return [
    rateCriterion("divergence_rate", "Divergence rate below 5%", inp.counts, 0.05),
    {
      id: "no_docker_writes",
      title: "The collector made no Docker writes",
      target: "0 non-GET Docker requests",
      actual: inp.dockerWriteAttempts,
      status: inp.dockerWriteAttempts === 0 ? "met" : "not_met",
      evidence: {
        summary: `${inp.dockerWriteAttempts} non-GET requests attempted by this process (every one is refused before the socket); only GET is ever sent`,
      },
    },
    coverage(inp),
  ];
}

function phase1(inp: PhaseInputs): Criterion[] {
  const cs = inp.newContainers;
  const missing = cs.filter((c) => c.labelIssues.includes("labels_missing"));
  // CONTRACT 6f: validity is judged only on containers that carry labels to validate.
  const validatable = cs.filter(
    (c) =>
      (c.labels.includes("com.l9.project_hash") && c.labels.includes("com.l9.project_path")) ||
      c.labels.includes("com.l9.port"),
  );
  const invalidKinds = invalidLabelKinds(inp.labelHashPrefixOk === true);
  const invalid = validatable.filter((c) => c.labelIssues.some((k) => invalidKinds.has(k)));
  const since = inp.phase1StartedAt
    ? `first seen since Phase 1 started (${inp.phase1StartedAt})`
    : "first seen in the window (Phase 1 has no recorded start)";
  const insufficient = cs.length === 0;
  const share = (n: number, of: number) => (of ? rate4((of - n) / of) : null);
  return [
    {
      id: "labels_present",
      title: "Every new container carries project_hash, port and project_path",
      target: "100% of new containers",
      actual: share(missing.length, cs.length),
      status: insufficient ? "insufficient_data" : missing.length === 0 ? "met" : "not_met",
      evidence: {
        summary: `${cs.length - missing.length} of ${cs.length} containers ${since} carry the three labels`,
        minimum: "at least 1 new container",
        details: missing.map((c) => ({
          id: c.id.slice(0, 12),
          project: c.project,
          first_seen: c.firstSeenAt,
        })),
      },
    },
    {
      id: "labels_valid",
      title: "New containers' labels are valid (hash of the path, port label = bound port)",
      target: "100% of new containers",
      actual: share(invalid.length, validatable.length),
      status: validatable.length === 0 ? "insufficient_data" : invalid.length === 0 ? "met" : "not_met",
      evidence: {
        summary:
          validatable.length === 0
            ? `0 of ${cs.length} new containers carry labels to validate`
            : `${validatable.length - invalid.length} of ${validatable.length} new containers that carry ` +
              `labels have valid ones (${cs.length} new in all)`,
        minimum: "at least 1 new container carrying the labels",
        details: invalid.map((c) => ({ id: c.id.slice(0, 12), project: c.project, issues: c.labelIssues })),
      },
    },
  ];
}

function readCriterion(
  id: string,
  title: string,
  target: string,
  inp: PhaseInputs,
  value: (r: ReadCounts) => number,
  ok: (x: number) => boolean,
): Criterion {
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
    actual: rate4(x),
    status: ok(x) ? "met" : "not_met",
    evidence: { summary: `${pct(x)} over ${r.reads} reads from ${per.length} instance(s)`, details: per },
  };
}

function phase2(inp: PhaseInputs): Criterion[] {
  const p1 = inp.phase1Counts;
  const nowRate = inp.counts.checks ? inp.counts.diverged / inp.counts.checks : null;
  const p1Rate = p1 && p1.checks ? p1.diverged / p1.checks : null;
  const noIncrease: Criterion =
    nowRate === null || p1Rate === null || inp.counts.checks < MIN_CHECKS || (p1?.checks ?? 0) < MIN_CHECKS
      ? {
          id: "no_divergence_increase",
          title: "No increase in divergence against the Phase 1 window",
          target: "rate ≤ Phase 1's rate",
          actual: nowRate === null ? null : rate4(nowRate),
          status: "insufficient_data",
          evidence: {
            summary: p1
              ? `Phase 1: ${p1.checks} checks; window: ${inp.counts.checks} checks`
              : "no Phase 1 period recorded",
            minimum: `at least ${MIN_CHECKS} checks in both`,
          },
        }
      : {
          id: "no_divergence_increase",
          title: "No increase in divergence against the Phase 1 window",
          target: `≤ ${pct(p1Rate)} (Phase 1)`,
          actual: rate4(nowRate),
          status: nowRate <= p1Rate ? "met" : "not_met",
          evidence: { summary: `${pct(nowRate)} now against ${pct(p1Rate)} in Phase 1` },
        };
  return [
    readCriterion(
      "docker_success_rate",
      "Docker queries succeed",
      "> 95% of reads",
      inp,
      (r) => r.dockerOk / r.reads,
      (x) => x > 0.95,
    ),
    readCriterion(
      "fallback_rate",
      "Fallback to the dict is rare",
      "< 5% of reads",
      inp,
      (r) => r.fallback / r.reads,
      (x) => x < 0.05,
    ),
    noIncrease,
    staleCacheCriterion(inp.reads),
  ];
}

function restartsCriterion(inp: PhaseInputs): Criterion {
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

function conflictsCriterion(c: WindowCounts): Criterion {
  if (c.checks < MIN_CHECKS)
    return {
      id: "no_port_conflicts",
      title: "No port conflicts",
      target: "0",
      actual: c.portConflicts,
      status: "insufficient_data",
      evidence: { summary: `${c.checks} checks in the window`, minimum: `at least ${MIN_CHECKS} checks` },
    };
  return {
    id: "no_port_conflicts",
    title: "No port conflicts",
    target: "0",
    actual: c.portConflicts,
    status: c.portConflicts === 0 ? "met" : "not_met",
    evidence: { summary: `${c.portConflicts} port_conflict findings over ${c.reachablePolls} polls` },
  };
}

function phase3(inp: PhaseInputs): Criterion[] {
  return [
    rateCriterion("zero_divergence", "Zero divergence", inp.counts, 0, true),
    withCrashLeaks(restartsCriterion(inp), inp.crashLeaked),
    withAllocationFailures(conflictsCriterion(inp.counts), inp.allocationFailures),
  ];
}

function phase4(inp: PhaseInputs): Criterion[] {
  const now = Date.parse(inp.now);
  const started = inp.phase3StartedAt ? Date.parse(inp.phase3StartedAt) : null;
  const held = started !== null ? now - started : 0;
  const c = inp.last28d;
  let stable: Criterion;
  if (started === null || held <= STABLE_MS) {
    stable = {
      id: "phase3_stable_4w",
      title: "Phase 3's criteria held for more than 4 weeks",
      target: "> 28 days",
      actual: started === null ? null : Math.floor(held / 86400_000),
      status: "insufficient_data",
      evidence: {
        summary:
          started === null
            ? "Phase 3 has not started"
            : `Phase 3 started ${inp.phase3StartedAt}: ${(held / 86400_000).toFixed(1)} days`,
        minimum: "more than 28 days in Phase 3",
      },
    };
  } else if (c.checks < MIN_CHECKS) {
    stable = {
      id: "phase3_stable_4w",
      title: "Phase 3's criteria held for more than 4 weeks",
      target: "> 28 days",
      actual: null,
      status: "insufficient_data",
      evidence: {
        summary: `${c.checks} checks over the last 28 days`,
        minimum: `at least ${MIN_CHECKS} checks`,
      },
    };
  } else {
    const ok = c.diverged === 0 && c.portConflicts === 0 && inp.last28dRestartsUnrecovered === 0;
    stable = {
      id: "phase3_stable_4w",
      title: "Phase 3's criteria held for more than 4 weeks",
      target: "> 28 days",
      actual: Math.floor(held / 86400_000),
      status: ok ? "met" : "not_met",
      evidence: {
        summary: `last 28 days: ${c.diverged} diverged checks, ${c.portConflicts} port conflicts, ${inp.last28dRestartsUnrecovered} unrecovered restarts`,
      },
    };
  }
  const l = inp.latency;
  const latency: Criterion =
    l.samples < 20 || l.p95 === null
      ? {
          id: "docker_latency",
          title: "Docker query latency within the ADR's figures",
          target: `full list p95 ≤ ${LIST_P95_TARGET_MS} ms`,
          actual: l.p95 === null ? null : ms1(l.p95),
          status: "insufficient_data",
          evidence: { summary: `${l.samples} latency samples`, minimum: "at least 20 polls" },
        }
      : {
          id: "docker_latency",
          title: "Docker query latency within the ADR's figures",
          target: `full list p95 ≤ ${LIST_P95_TARGET_MS} ms (ADR: 20-30 ms; a single label query 5-10 ms)`,
          actual: ms1(l.p95),
          status: l.p95 <= LIST_P95_TARGET_MS ? "met" : "not_met",
          evidence: {
            summary: `the collector's own label-filtered list: p50 ${l.p50?.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms over ${l.samples} polls`,
          },
        };
  const s = inp.signOff;
  const signOff: Criterion =
    s && s.decision === "advance" && s.signOffs.length > 0
      ? {
          id: "team_sign_off",
          title: "Team sign-off recorded",
          target: "a review deciding to advance, signed off",
          actual: s.signOffs.join(", "),
          status: "met",
          evidence: {
            summary: `review ${s.reviewId} (${s.at}): advance, signed off by ${s.signOffs.join(", ")}`,
          },
        }
      : {
          id: "team_sign_off",
          title: "Team sign-off recorded",
          target: "a review deciding to advance, signed off",
          actual: null,
          status: "not_met",
          evidence: {
            summary: s
              ? `latest Phase 4 review ${s.reviewId}: ${s.decision}, ${s.signOffs.length} sign-offs`
              : "no Phase 4 review recorded",
          },
        };
  return [stable, latency, signOff];
}

/** Criteria whose evidence gains each host's own figures on a server. */
const PER_HOST = new Set(["divergence_rate", "zero_divergence", "collecting", "no_port_conflicts"]);

function withHosts(c: Criterion, inp: PhaseInputs): Criterion {
  if (inp.byHost.length === 0 || !PER_HOST.has(c.id)) return c;
  const byHost = inp.byHost.map((h) => ({
    host: h.host,
    checks: h.counts.checks,
    diverged: h.counts.diverged,
    rate: h.counts.checks ? rate4(h.counts.diverged / h.counts.checks) : null,
    port_conflicts: h.counts.portConflicts,
    polls: h.counts.polls,
    covered_ms: h.coveredMs,
    last_poll_at: h.counts.lastPollAt,
  }));
  return {
    ...c,
    evidence: { ...c.evidence, details: { fleet: c.evidence.details ?? null, by_host: byHost } },
  };
}

export function evaluatePhases(inp: PhaseInputs): PhaseResult[] {
  const all = [phase0(inp), phase1(inp), phase2(inp), phase3(inp), phase4(inp)].map((cs) =>
    cs.map((c) => withHosts(c, inp)),
  );
  return all.map((criteria, phase) => ({
    phase,
    title: PHASE_TITLES[phase]!,
    window: inp.windowLabel,
    ready: criteria.every((c) => c.status === "met"),
    criteria,
  }));
}

/** After an advance to `current`, the previous phase's criteria regressing is a rollback signal. */
export function rollbackSignal(
  current: number,
  results: PhaseResult[],
): { phase: number; failing: string[] } | null {
  if (current === 0) return null;
  const prev = results[current - 1];
  if (!prev) return null;
  const failing = prev.criteria.filter((c) => c.status === "not_met").map((c) => c.id);
  return failing.length ? { phase: current, failing } : null;
}

/** The current phase (the latest change, else configuration, else 0) and when each phase started. */
export function phaseState(
  history: readonly { phase: number; started_at: string }[],
  configured: number | undefined,
): { current: number; starts: (string | null)[] } {
  const current = history[0]?.phase ?? configured ?? 0;
  const starts: (string | null)[] = [null, null, null, null, null];
  // History is newest first: the newest change to a phase holds its start.
  for (const h of [...history].reverse()) starts[h.phase] = h.started_at;
  return { current, starts };
}
