// Domain types of the pure core. No I/O, no Prisma, no clock.

export const CHECK_KINDS = [
  "missing_in_docker",
  "not_running",
  "missing_in_source",
  "container_id_mismatch",
  "port_mismatch",
] as const;
export const PROJECT_KINDS = ["duplicate_containers", "port_conflict"] as const;
export const LABEL_KINDS = ["labels_missing", "label_hash_invalid", "label_port_mismatch"] as const;
export const FINDING_KINDS = [...CHECK_KINDS, ...PROJECT_KINDS, ...LABEL_KINDS] as const;

export type CheckKind = (typeof CHECK_KINDS)[number];
export type ProjectKind = (typeof PROJECT_KINDS)[number];
export type LabelKind = (typeof LABEL_KINDS)[number];
export type FindingKind = (typeof FINDING_KINDS)[number];

export type SourceKind = "registry_file" | "active_indexers" | "orchestrator_url";
export type SourceStatus = "ok" | "missing" | "unreadable" | "stale";
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

export type SourceEntry = { containerId: string | null; port: number | null };

export type Source = {
  id: string;
  kind: SourceKind;
  status: SourceStatus;
  /** project -> entry; only read when status is ok */
  entries: ReadonlyMap<string, SourceEntry>;
};

export type Finding = {
  kind: FindingKind;
  project: string;
  message: string;
  source?: string;
  container_id?: string;
  expected?: string | number | null;
  actual?: string | number | null;
};

export type Check = {
  source: string;
  project: string;
  status: "consistent" | "diverged";
  findings: Finding[];
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
  docker: { reachable: true; containers: Container[] } | { reachable: false; lastKnown?: Container[] };
  sources: Source[];
};

export type DivergenceResult = {
  projects: ProjectResult[];
  checks: number;
  diverged: number;
  divergenceRate: number;
  /** number of findings per kind */
  kindCounts: Partial<Record<FindingKind, number>>;
  /** selected containers without a com.l9.project label */
  unassigned: Container[];
};
