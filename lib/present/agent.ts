// Pure mappings for many hosts (issue 14): an agent's recorded poll -> the message it sends,
// and a server's hosts -> one fleet state (/api/v1/state with a host on every project).
import { episodeKey, runKey, type HistoryPlan } from "../core/history";
import type { AgentPoll, ApiHost, HostRecord } from "../contracts/agent";
import type { ApiProject, ApiSource, ApiState } from "../contracts/state";
import type { Health } from "../core/types";
import { roundRate } from "../core/divergence";

/** What the collector knows right after it committed a poll. */
export type RecordedPollInfo = {
  pollId: number;
  row: {
    polledAt: Date;
    dockerReachable: boolean;
    dockerLatencyMs: number | null;
    dockerError: string | null;
    durationMs: number;
    intervalMs: number;
    checks: number;
    diverged: number;
    divergedAck: number;
    projects: number;
    kindCounts: Partial<Record<string, number>>;
    simulated: boolean;
  };
  cumulative: {
    seq: number;
    cumChecks: number;
    cumDiverged: number;
    cumDivergedAck: number;
    cumKinds: Partial<Record<string, number>>;
    cumCoveredMs: number;
    cumLatencyMs: number;
  };
  plan: HistoryPlan;
  openedEpisodes: ReadonlyMap<string, number>;
  openedRuns: ReadonlyMap<string, number>;
  /** restarts whose recovery this poll recorded */
  recoveredRestarts: readonly number[];
};

const counts = (r: Partial<Record<string, number>>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
  return out;
};

/** The message for one recorded poll, without the state (attached when sending). */
export function agentPollMessage(p: RecordedPollInfo): AgentPoll {
  return {
    id: p.pollId,
    polled_at: p.row.polledAt.toISOString(),
    docker_reachable: p.row.dockerReachable,
    docker_latency_ms: p.row.dockerLatencyMs,
    docker_error: p.row.dockerError,
    duration_ms: p.row.durationMs,
    interval_ms: p.row.intervalMs,
    checks: p.row.checks,
    diverged: p.row.diverged,
    diverged_ack: p.row.divergedAck,
    projects: p.row.projects,
    kind_counts: counts(p.row.kindCounts),
    seq: p.cumulative.seq,
    cum_checks: p.cumulative.cumChecks,
    cum_diverged: p.cumulative.cumDiverged,
    cum_diverged_ack: p.cumulative.cumDivergedAck,
    cum_kinds: counts(p.cumulative.cumKinds),
    cum_covered_ms: p.cumulative.cumCoveredMs,
    cum_latency_ms: p.cumulative.cumLatencyMs,
    simulated: p.row.simulated,
    new_containers: p.plan.newContainers.map(({ container: c, labelIssues }) => ({
      id: c.id,
      project: c.project ?? "",
      name: c.name,
      created: new Date(c.createdMs).toISOString(),
      labels: c.labels,
      label_issues: labelIssues,
      state: c.state,
      port: c.port,
    })),
    episodes_opened: p.plan.openEpisodes.flatMap((e) => {
      const ref = p.openedEpisodes.get(episodeKey(e));
      return ref === undefined
        ? []
        : [
            {
              ref,
              project: e.project,
              source: e.source,
              kind: e.kind,
              subject: e.subject,
              opened_at: e.openedAt.toISOString(),
              detail: { ...e.detail },
            },
          ];
    }),
    episodes_closed: p.plan.closeEpisodes.map((e) => e.id),
    runs_opened: p.plan.openRuns.flatMap((r) => {
      const ref = p.openedRuns.get(runKey(r.project, r.source));
      return ref === undefined
        ? []
        : [{ ref, project: r.project, source: r.source, diverged: r.diverged, start_seq: r.startSeq }];
    }),
    runs_closed: p.plan.closeRuns.map((r) => ({ ref: r.id, end_seq: r.endSeq })),
    // Filled from the agent's tables when the message is buffered (lib/store/hosts.ts).
    read_events: [],
    restarts: [],
    state: null,
  };
}

export type FleetHost = {
  name: string;
  state: ApiState;
  stale: boolean;
};

const HEALTHS: Health[] = ["consistent", "warning", "diverged", "unknown"];

/**
 * One state over many hosts: every project and source carries its host; a stale host's
 * projects are `unknown` (its last figures are not current, so they count in no total).
 */
export function fleetState(
  hosts: readonly FleetHost[],
  pollIntervalMs: number,
  pollId: number | null,
): ApiState {
  const projects: (ApiProject & { host: string })[] = [];
  const sources: (ApiSource & { host: string })[] = [];
  const unassigned: ApiState["unassigned_containers"] = [];
  let checks = 0;
  let diverged = 0;
  let divergedAck = 0;
  let acks = 0;
  let polledAt: string | null = null;
  let reachable = true;
  let simulated = false;
  const errors: string[] = [];
  let lastOk: string | null = null;
  for (const h of hosts) {
    const s = h.state;
    simulated ||= s.simulated;
    if (s.polled_at && (!polledAt || s.polled_at > polledAt)) polledAt = s.polled_at;
    for (const src of s.sources) sources.push({ ...src, id: `${h.name}/${src.id}`, host: h.name });
    for (const p of s.projects)
      projects.push(
        h.stale
          ? { ...p, host: h.name, health: "unknown", checks: [], findings: [] }
          : { ...p, host: h.name },
      );
    unassigned.push(...s.unassigned_containers);
    if (h.stale) {
      reachable = false;
      errors.push(`${h.name}: no poll received recently (stale)`);
      continue;
    }
    checks += s.summary.checks;
    diverged += s.summary.diverged;
    divergedAck += s.summary.diverged_acknowledged;
    acks = Math.max(acks, s.summary.acknowledgements_in_force);
    if (!s.docker.reachable) {
      reachable = false;
      errors.push(`${h.name}: ${s.docker.error ?? "Docker unreachable"}`);
    }
    if (s.docker.last_ok_at && (!lastOk || s.docker.last_ok_at > lastOk)) lastOk = s.docker.last_ok_at;
  }
  projects.sort((a, b) => a.project.localeCompare(b.project) || a.host.localeCompare(b.host));
  const health = Object.fromEntries(HEALTHS.map((k) => [k, 0])) as Record<Health, number>;
  for (const p of projects) health[p.health] += 1;
  return {
    polled_at: polledAt,
    poll_id: pollId,
    simulated,
    docker: {
      reachable: hosts.length > 0 && reachable,
      endpoint: `${hosts.length} host${hosts.length === 1 ? "" : "s"}`,
      latency_ms: null,
      error: hosts.length === 0 ? "no agent has sent a poll yet" : errors.length ? errors.join("; ") : null,
      last_ok_at: lastOk,
    },
    sources,
    summary: {
      checks,
      diverged,
      divergence_rate: roundRate(diverged, checks),
      diverged_acknowledged: divergedAck,
      divergence_rate_acknowledged: roundRate(diverged - divergedAck, checks),
      acknowledgements_in_force: acks,
      projects: projects.length,
      health,
    },
    projects,
    unassigned_containers: unassigned,
    collector: { poll_interval_ms: pollIntervalMs, duration_ms: null },
  };
}

/** A host row for GET /api/v1/hosts. */
export function apiHost(h: HostRecord, now: Date, staleMs: number): ApiHost {
  const silent = now.getTime() - h.receivedAt.getTime();
  const span = h.pollsStored ? h.lastPollId - h.firstPollId + 1 : 0;
  return {
    host: h.name,
    status: silent > staleMs ? "stale" : "ok",
    agent_version: h.agentVersion,
    first_seen_at: h.firstSeenAt.toISOString(),
    received_at: h.receivedAt.toISOString(),
    last_poll_id: h.lastPollId,
    last_polled_at: h.lastPolledAt.toISOString(),
    lag_ms: Math.max(0, h.receivedAt.getTime() - h.lastPolledAt.getTime()),
    silent_ms: Math.max(0, silent),
    buffered: h.buffered,
    dropped: h.dropped,
    missing_polls: Math.max(0, span - h.pollsStored),
    projects: h.state?.projects.length ?? 0,
    diverged: h.state?.summary.diverged ?? 0,
    docker_reachable: h.state?.docker.reachable ?? false,
  };
}
