// GET /api/v1/state and GET /api/v1/projects/{name} response shapes (CONTRACT.md section 3).
import type { Mode } from "../core/modes";
import type { CellStatus } from "../core/cells";
import type { Finding, FindingKind, Health, SourceKind, SourceStatus } from "../core/types";
import type { TestContainer } from "../core/adr/test-containers";

/** A finding as the API shows it: the core's Finding, without the project it sits under. */
export type ApiFinding = Omit<Finding, "project"> & {
  /** when this finding's open episode began (how long it has lasted) */
  opened_at?: string;
  /** the acknowledgement in force that matches it: muted, never hidden */
  acknowledgement?: { id: number; reason: string; owner: string; expires_at: string };
};

export type ApiContainer = {
  id: string;
  name: string;
  state: string;
  port: number | null;
  bound_port: number | null;
  created: string;
  labels: Record<string, string>;
};

export type ApiCheck = {
  source: string;
  status: "consistent" | "diverged";
  /**
   * Issue 25: present (true) on a diverged check a Docker event newer than the source's
   * snapshot explains: shown, not in `summary.diverged` nor the rate; absent otherwise.
   */
  in_flight?: true;
  findings: ApiFinding[];
};

export type ApiProject = {
  project: string;
  /** the machine it runs on: set by a server (issue 14), whose projects repeat across hosts */
  host?: string;
  health: Health;
  /** Docker's cell in the health matrix (lib/core/cells.ts decides it) */
  docker_status: CellStatus;
  containers: ApiContainer[];
  checks: ApiCheck[];
  findings: ApiFinding[];
  /** per source: the values that place holds for this project (null: it has no entry) */
  sources: Record<string, { container_id: string | null; port: number | null } | null>;
};

export type ApiSource = {
  id: string;
  /** on a server: the machine whose source it is (ids repeat across hosts) */
  host?: string;
  kind: SourceKind;
  status: SourceStatus;
  detail?: string;
  error?: string | null;
  last_seen?: string | null;
  last_read_at?: string | null;
  last_good_at?: string | null;
  entries?: number;
  started_at?: string;
  /** an instance whose process exited cleanly (status "ended", CONTRACT 6b) */
  ended_at?: string | null;
  taken_at?: string;
  via?: string;
  restarts?: number;
  /** the instance (source id) that replaced this one after it went stale: a restart */
  replaced_by?: string | null;
  /** issue 25: the process's mode (dict_first ... docker_only) and code version; null = not reported */
  mode?: Mode | null;
  code_version?: string | null;
};

export type ApiState = {
  polled_at: string | null;
  poll_id: number | null;
  simulated: boolean;
  docker: {
    reachable: boolean;
    endpoint: string;
    latency_ms: number | null;
    error: string | null;
    last_ok_at: string | null;
  };
  sources: ApiSource[];
  summary: {
    checks: number;
    diverged: number;
    /** issue 25: diverged checks in flight at this poll (not in `diverged` nor the rate; absent: 0) */
    in_flight?: number;
    divergence_rate: number;
    /** diverged checks whose every finding is acknowledged (known differences) */
    diverged_acknowledged: number;
    /** the rate without acknowledged findings, beside the raw one (the gate uses the raw rate) */
    divergence_rate_acknowledged: number;
    acknowledgements_in_force: number;
    projects: number;
    health: Record<Health, number>;
  };
  projects: ApiProject[];
  unassigned_containers: ApiContainer[];
  /** CONTRACT 7e: com.l9.test=true containers, apart: no checks, no findings, in no rate */
  test_containers?: TestContainer[];
  collector: {
    poll_interval_ms: number;
    duration_ms: number | null;
    /** after this instant without a newer poll, the figures are stale (screens say so) */
    stale_at?: string | null;
  };
  /** set by the live view: which role answers, and a server's hosts (before any `?host=` filter) */
  role?: "standalone" | "agent" | "server";
  hosts?: string[];
};

export type ApiEpisode = {
  source: string | null;
  kind: FindingKind;
  opened_at: string;
  closed_at: string | null;
  duration_ms: number;
  detail: {
    message: string;
    expected?: string | number | null;
    actual?: string | number | null;
    container_id?: string;
    subject?: string;
  };
  simulated: boolean;
};

export type ApiContainerHistory = {
  id: string;
  name: string;
  first_seen_at: string;
  created: string;
  stopped_at: string | null;
  removed_at: string | null;
  state: string;
  port: number | null;
  label_issues: string[];
};

export type ApiProjectDetail = {
  project: string;
  /** on a server: the host this history is of */
  host?: string;
  from: string;
  to: string;
  current: ApiProject | null;
  episodes: ApiEpisode[];
  checks: number;
  diverged: number;
  divergence_rate: number;
  containers_history: ApiContainerHistory[];
};
