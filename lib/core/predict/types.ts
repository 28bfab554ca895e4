// What the predictor reads of a window's stored history (one host's), and what it gives out:
// each later phase's criteria as they would read had its code been running. Pure types.
import type { Criterion } from "../phase-types";

/** A managed container as the store keeps it: labels at first sight, its running interval. */
export type HistContainer = {
  id: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  labelIssues: readonly string[];
  /** the resolved port (com.l9.port label, else published, else bound), null when none */
  port: number | null;
  createdMs: number;
  firstSeenMs: number;
  /** last time it was seen stop (null: running since first seen, or never stopped) */
  stoppedMs: number | null;
  removedMs: number | null;
};

export type HistPoll = { atMs: number; seq: number; reachable: boolean };

export type HostHistory = {
  host: string;
  /** the polls the predictor replays (an even sample of the window's polls) */
  polls: HistPoll[];
  /** every poll in the window, of which `polls` is a sample */
  pollsInWindow: number;
  /** outages: [fromMs, toMs) after each poll where Docker was unreachable */
  outages: { fromMs: number; toMs: number }[];
  /** check runs of (project, source) over reachable-poll sequence numbers */
  runs: { project: string; source: string; startSeq: number; endSeq: number | null }[];
  /** missing_in_source episodes: the source did not hold the project over [fromMs, toMs) */
  notHeld: { project: string; source: string; fromMs: number; toMs: number | null }[];
  containers: HistContainer[];
  /** read events (cache reads left out), the latest up to the bound */
  reads: { atMs: number; project: string }[];
  readsInWindow: number;
};

export type FallbackReason =
  "no_container" | "not_running" | "no_port" | "label_missing" | "duplicate" | "docker_unreachable";

export type PredictedCriterion = Criterion & { predicted: true };

export type Prediction = {
  /** polls replayed (summed over hosts) */
  from_polls: number;
  /** read events replayed */
  from_reads: number;
  /** what was left out to keep the work bounded, in words */
  bound: string;
  /** when the replay ran (ISO 8601): replays are reused for a minute (lib/collector/predict.ts) */
  replayed_at?: string;
  criteria: PredictedCriterion[];
  /** Phase 2: the projects that would fall back and why, most affected first (at most 50) */
  fallback_projects?: { project: string; reason: FallbackReason; polls: number; reads: number }[];
  /** how many distinct projects would fall back (a project may be listed once per reason) */
  fallback_projects_total?: number;
};

export const MAX_LISTED = 50;
