// Pure mappings for many hosts (issue 14): a server's hosts -> one fleet state (/api/v1/state
// with a host on every project), and a host's row for GET /api/v1/hosts.
import type { ApiHost, HostRecord } from "../contracts/agent";
import type { ApiProject, ApiSource, ApiState } from "../contracts/state";
import type { Health } from "../core/types";
import { roundRate } from "../core/divergence";
import { dockerStatus } from "../core/cells";
import { staleAfterMs } from "../core/time";

export type FleetHost = {
  name: string;
  state: ApiState;
  stale: boolean;
};

const HEALTHS: Health[] = ["consistent", "warning", "diverged", "unknown"];

/**
 * The state of the live view, whatever the role. One machine is a fleet of one host: its own
 * state, as its collector built it. A server's: one state over its hosts (all, or those named
 * in `only`: the one host filter), every project and source carrying its host; a stale host's
 * projects are `unknown` (its last figures are not current, so they count in no total).
 */
export function liveState(
  role: "standalone" | "agent" | "server",
  hosts: readonly FleetHost[],
  only: readonly string[],
  pollIntervalMs: number,
  pollId: number | null,
): ApiState {
  const own = hosts[0];
  if (role !== "server" && own) return withStaleAt({ ...own.state, role, hosts: [] });
  const sorted = [...hosts].sort((a, b) => a.name.localeCompare(b.name));
  const shown = only.length ? sorted.filter((h) => only.includes(h.name)) : sorted;
  return withStaleAt({
    ...fleetState(shown, pollIntervalMs, pollId),
    role: "server",
    hosts: sorted.map((h) => h.name),
  });
}

/** The instant its figures turn stale without a newer poll (the screens' "Data is stale"). */
function withStaleAt(s: ApiState): ApiState {
  const at = s.polled_at ? staleAfterMs(Date.parse(s.polled_at), s.collector.poll_interval_ms) : null;
  return { ...s, collector: { ...s.collector, stale_at: at === null ? null : new Date(at).toISOString() } };
}

function fleetState(hosts: readonly FleetHost[], pollIntervalMs: number, pollId: number | null): ApiState {
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
    for (const src of s.sources) sources.push({ ...src, host: h.name });
    for (const p of s.projects)
      projects.push(
        // Decided again here: a stale host's findings are gone, and an older agent sends none.
        h.stale
          ? {
              ...p,
              host: h.name,
              health: "unknown",
              docker_status: dockerStatus({ containers: p.containers, findings: [] }),
              checks: [],
              findings: [],
            }
          : { ...p, host: h.name, docker_status: dockerStatus(p) },
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
    modes: [
      ...new Set(
        (h.state?.sources ?? [])
          .filter((s) => s.kind === "active_indexers" && s.status === "ok" && (s.mode || s.code_version))
          .map((s) => [s.mode ?? "no mode", s.code_version?.slice(0, 12)].filter(Boolean).join(" · ")),
      ),
    ].sort(),
  };
}
