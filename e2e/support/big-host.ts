// One agent's host with many projects, delivered to a team server over real HTTP (the agent's
// contract, lib/contracts/agent.ts): a big fleet without thousands of containers. The agent
// itself is tested end to end in e2e/hosts.spec.ts; this is a sender of the same message.
import type { AgentBatch, AgentPoll } from "../../lib/contracts/agent";
import type { ApiProject, ApiState } from "../../lib/contracts/state";

export type BigProject = { name: string; diverged: boolean };

const finding = {
  kind: "port_mismatch",
  source: "container_registry",
  message: "registry says another port",
};

function hostState(projects: BigProject[], pollId: number, at: Date): ApiState {
  const diverged = projects.filter((p) => p.diverged).length;
  return {
    polled_at: at.toISOString(),
    poll_id: pollId,
    simulated: true,
    docker: {
      reachable: true,
      endpoint: "unix:///var/run/docker.sock",
      latency_ms: 4,
      error: null,
      last_ok_at: at.toISOString(),
    },
    sources: [{ id: "container_registry", kind: "registry_file", status: "ok", entries: projects.length }],
    summary: {
      checks: projects.length,
      diverged,
      divergence_rate: diverged / projects.length,
      diverged_acknowledged: 0,
      divergence_rate_acknowledged: diverged / projects.length,
      acknowledgements_in_force: 0,
      projects: projects.length,
      health: { consistent: projects.length - diverged, warning: 0, diverged, unknown: 0 },
    },
    projects: projects.map(
      (p, i) =>
        ({
          project: p.name,
          health: p.diverged ? "diverged" : "consistent",
          docker_status: "consistent",
          containers: [
            {
              id: `${String(i).padStart(8, "0")}`.padEnd(64, "a"),
              name: `indexer-${i}`,
              state: "running",
              port: 20000 + i,
              bound_port: 20000 + i,
              created: "2026-11-01T00:00:00.000Z",
              labels: { "com.l9.managed": "true", "com.l9.project": p.name },
            },
          ],
          checks: [
            {
              source: "container_registry",
              status: p.diverged ? "diverged" : "consistent",
              findings: p.diverged ? [{ ...finding, opened_at: at.toISOString() }] : [],
            },
          ],
          findings: p.diverged ? [{ ...finding, opened_at: at.toISOString() }] : [],
          sources: { container_registry: { container_id: null, port: 20000 + i + (p.diverged ? 1 : 0) } },
        }) as ApiProject,
    ),
    unassigned_containers: [],
    collector: { poll_interval_ms: 5000, duration_ms: 20 },
  };
}

function poll(id: number, at: Date, state: ApiState): AgentPoll {
  const n = state.projects.length;
  const d = state.summary.diverged;
  return {
    id,
    polled_at: at.toISOString(),
    docker_reachable: true,
    docker_latency_ms: 4,
    docker_error: null,
    duration_ms: 20,
    interval_ms: 5000,
    checks: n,
    diverged: d,
    diverged_ack: 0,
    projects: n,
    kind_counts: { port_mismatch: d },
    seq: id,
    cum_checks: id * n,
    cum_diverged: id * d,
    cum_diverged_ack: 0,
    cum_kinds: { port_mismatch: id * d },
    cum_covered_ms: (id - 1) * 5000,
    cum_latency_ms: id * 4,
    simulated: true,
    new_containers: [],
    episodes_opened: [],
    episodes_closed: [],
    read_events: [],
    restarts: [],
    state,
  } as AgentPoll;
}

export const bigHostToken = (host: string) => `${host}-big-host-token-0123456789`;

/** Delivers poll `id` of `host` with `projects` (ids contiguous from 1); throws unless 200. */
export async function deliverBigHost(url: string, host: string, id: number, projects: BigProject[]) {
  const at = new Date();
  const body: AgentBatch = {
    host,
    agent_version: "e2e",
    agent_id: 1,
    buffered: 0,
    dropped: 0,
    polls: [poll(id, at, hostState(projects, id, at))],
  };
  const res = await fetch(`${url}/api/v1/agent/polls`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${bigHostToken(host)}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`delivery ${id} of ${host}: ${res.status} ${await res.text()}`);
}
