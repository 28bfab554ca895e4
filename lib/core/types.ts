// Domain types of the pure core. No I/O, no Prisma, no clock.
import type { ProcessAdrState } from "./adr/types";

export const CHECK_KINDS = [
  "missing_in_docker",
  "not_running",
  "missing_in_source",
  "container_id_mismatch",
  "port_mismatch",
  // CONTRACT 6a: two dicts of one process hold the project with different ids or ports.
  "legacy_copies_disagree",
] as const;
export const PROJECT_KINDS = ["duplicate_containers", "port_conflict"] as const;
export const LABEL_KINDS = [
  "labels_missing",
  "label_hash_invalid",
  // CONTRACT 7d: a prefix (12+ hex) of the right hash
  "label_hash_truncated",
  "label_port_mismatch",
] as const;
/** CONTRACT 7b, 7c: container- and project-level findings that make health `warning`. */
export const ADR_KINDS = ["leaked_container", "port_leak"] as const;
export const FINDING_KINDS = [...CHECK_KINDS, ...PROJECT_KINDS, ...LABEL_KINDS, ...ADR_KINDS] as const;

export type CheckKind = (typeof CHECK_KINDS)[number];
export type ProjectKind = (typeof PROJECT_KINDS)[number];
export type LabelKind = (typeof LABEL_KINDS)[number];
export type FindingKind = (typeof FINDING_KINDS)[number];

export type SourceKind = "registry_file" | "active_indexers" | "orchestrator_url";
export type SourceStatus = "ok" | "missing" | "unreadable" | "stale" | "ended";
export type Health = "consistent" | "warning" | "diverged" | "unknown";

/** A managed container as the Docker adapter normalises it. */
export type Container = {
  id: string;
  name: string;
  /** com.l9.project, or null when the label is absent */
  project: string | null;
  state: string;
  /** Docker's creation time, unix milliseconds */
  createdMs: number;
  labels: Record<string, string>;
  /** The port in the contract's order: valid com.l9.port label, published 8080/tcp, bound 8080/tcp. */
  port: number | null;
  /** The published or bound host port of 8080/tcp, ignoring the label. */
  boundPort: number | null;
};

export type SourceValue = { containerId: string | null; port: number | null };

/**
 * A source's entry for a project. `copies`: when several dicts of one process hold the
 * project (CONTRACT 6a), each dict's own values, named by the dict.
 */
export type SourceEntry = SourceValue & { copies?: readonly (SourceValue & { holder: string })[] };

export type Source = {
  id: string;
  kind: SourceKind;
  status: SourceStatus;
  /** project -> entry; only read when status is ok */
  entries: ReadonlyMap<string, SourceEntry>;
  /** projects the source knows without holding container data for them (the registry's `projects`) */
  known?: ReadonlySet<string>;
  /** CONTRACT 7b, 7c: an ok process's stopped_indexers and allocated_ports (null fields: unreported) */
  adr?: ProcessAdrState;
  /** a process no longer live: what it held at its last snapshot, and when that came (CONTRACT 7b) */
  held?: ReadonlyMap<string, SourceEntry>;
  lastSeenMs?: number;
  /**
   * Issue 25: when the source's data was taken (unix ms): an instance's snapshot `taken_at`,
   * the registry file's mtime. Absent or null: unknown, so none of its checks is in flight.
   */
  takenAtMs?: number | null;
};

/** Docker's events and container State times, reduced to what can explain a difference. */
export type ContainerEvent = { action: "create" | "start" | "stop" | "die" | "destroy"; atMs: number };

export type Finding = {
  kind: FindingKind;
  project: string;
  message: string;
  source?: string;
  container_id?: string;
  expected?: string | number | null;
  actual?: string | number | null;
  /** a label finding that does not change health (CONTRACT 6e: before Phase 1, or an older container) */
  informational?: true;
  /** issue 25: its check is in flight (a Docker event newer than the source's snapshot explains it) */
  in_flight?: true;
};

export type Check = {
  source: string;
  project: string;
  status: "consistent" | "diverged";
  findings: Finding[];
  /**
   * Issue 25: a diverged check whose every finding a Docker event newer than the source's
   * snapshot explains: shown with its findings, not counted in this poll's divergence.
   */
  in_flight?: true;
};

export type ProjectResult = {
  project: string;
  health: Health;
  containers: Container[];
  checks: Check[];
  /** every finding of the project: its checks', the project's and its containers' */
  findings: Finding[];
};

export type DivergenceInput = {
  /**
   * When Phase 1 started (unix ms): label findings change health only for containers created
   * at or after it. Null (Phase 1 not started): every label finding is informational.
   * Absent: every label finding counts (section 2 alone, as before 6e).
   */
  labelsRequiredSinceMs?: number | null;
  docker: { reachable: true; containers: Container[] } | { reachable: false; lastKnown?: Container[] };
  /** the poll's time (unix ms), for the age of a leaked container (CONTRACT 7b) */
  nowMs?: number;
  sources: Source[];
  /**
   * Issue 25: Docker's recent events per project (com.l9.project), oldest first, from the
   * collector's bounded ring. Absent (the event stream is down, or no stream): nothing is in
   * flight. Same map object while nothing changed (the memo compares by identity).
   */
  events?: ReadonlyMap<string, readonly ContainerEvent[]>;
};

export type DivergenceResult = {
  projects: ProjectResult[];
  checks: number;
  diverged: number;
  /** issue 25: diverged checks in flight this poll (not in `diverged` nor the rate) */
  inFlight: number;
  divergenceRate: number;
  /** number of findings per kind */
  kindCounts: Partial<Record<FindingKind, number>>;
  /** selected containers without a com.l9.project label */
  unassigned: Container[];
};
