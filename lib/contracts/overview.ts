// GET /api/v1/overview and GET /api/v1/series responses (ours, beyond the contract).
import type { FindingKind } from "../core/types";

export type SeriesPoint = {
  t: string;
  checks: number;
  diverged: number;
  rate: number | null;
  /** findings by kind: the average per reachable poll in the bucket */
  kinds: Partial<Record<FindingKind, number>>;
  polls: number;
  unreachable_polls: number;
  reads: number;
  fallback: number;
  fallback_rate: number | null;
  /** reads that neither Docker nor a fallback answered (served_by "none", CONTRACT 6d) */
  unanswered: number;
  docker_ok_rate: number | null;
  latency_ms: number | null;
};

export type WindowSummary = {
  window: string;
  from: string;
  to: string;
  polls: number;
  checks: number;
  diverged: number;
  divergence_rate: number | null;
  reads: number;
  fallback: number;
  fallback_rate: number | null;
  unanswered: number;
  docker_ok_rate: number | null;
  /** CONTRACT 7g: cache reads, in neither rate, and those older than 5 s */
  cache?: number;
  stale_cache?: number;
};

/** The gates' targets as ratios (Phase 0's divergence, Phase 2's fallback): the screens draw these. */
export type GateTargets = { divergence_rate: number; fallback_rate: number };

export type ApiOverview = { windows: WindowSummary[]; targets: GateTargets };
/** Something that happened in the range, marked on the charts. */
export type SeriesAnnotation = {
  at: string;
  kind: "restart" | "phase_change" | "mode_rollback";
  label: string;
  simulated: boolean;
};

export type ApiSeries = {
  from: string;
  to: string;
  bucket_ms: number;
  points: SeriesPoint[];
  /** orchestrator restarts and phase changes in the range (Docker outages come from the points) */
  annotations: SeriesAnnotation[];
  targets: GateTargets;
};
