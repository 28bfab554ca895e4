// What the phase criteria work on and give out (ADR-0098): a window's figures in, criteria
// with target, actual, status and evidence out; each phase's title, window and minimums.

import type { Prediction } from "./predict/types";
import type { LegacyReadInputs } from "./legacy-reads";
import type { Mode } from "./modes";
import type { Confidence, SettleEta } from "./confidence";
import type { CertaintyInputs, PhaseTimeline } from "./certainty";

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
  /** the target as a number, in the unit of `actual`, where it is one (charts draw it) */
  target_value?: number;
  unit?: "ratio" | "count" | "ms";
  /** issue 24: a rate criterion's 95% interval (null: nothing observed), whether it settles the verdict */
  confidence?: Confidence | null;
  settled?: boolean;
  settle_eta?: SettleEta;
  /** issue 24: a duration criterion's progress and when it is met if nothing regresses */
  progress?: { done_s: number; needed_s: number };
  met_eta?: string | null;
};

export type PhaseResult = {
  phase: number;
  title: string;
  window: string;
  ready: boolean;
  criteria: Criterion[];
  /** issue 24: what its criteria would read had its code been running (later phases only) */
  prediction?: Prediction;
  /**
   * issue 25: the window split by the processes' mode; when any process reported one, the
   * criteria count only the time every live process ran this phase's mode (`in_mode_ms`).
   */
  mode?: { mode: Mode; in_mode_ms: number; other_mode_ms: number; no_process_ms: number };
  timeline?: PhaseTimeline;
  /** time in the window covered by stored polls (absent in reviews frozen before it was kept) */
  covered_ms?: number;
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
  certainty?: CertaintyInputs;
  signOff: { reviewId: string; decision: string; signOffs: string[]; at: string } | null;
  /** issue 25: the processes' legacy-read counts (Phase 4's no_legacy_reads); absent = nobody counts */
  legacyReads?: LegacyReadInputs;
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
/** Phase 0's gate: divergence below 5% of checks; Phase 2's: fallback below 5% of reads (ratios). */
export const DIVERGENCE_TARGET = 0.05;
export const FALLBACK_TARGET = 0.05;
