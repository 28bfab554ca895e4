// Shapes a poll into the public /api/v1/state body. Pure: no I/O, no clock.
import type { ApiContainer, ApiProject, ApiSource, ApiState } from "../contracts/state";
import type { ApiFinding } from "../contracts/state";
import { episodeKey, findingSubject, type OpenEpisode } from "../core/history";
import type { Container, DivergenceResult, Finding, Health, Source } from "../core/types";
import { ackFor, acknowledgedDiverged, type Ack } from "../core/acks";
import { roundRate } from "../core/divergence";
import { dockerStatus } from "../core/cells";

export function toApiContainer(c: Container): ApiContainer {
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    port: c.port,
    bound_port: c.boundPort,
    created: new Date(c.createdMs).toISOString(),
    labels: c.labels,
  };
}

export function buildState(args: {
  pollId: number | null;
  polledAt: Date;
  simulated: boolean;
  docker: ApiState["docker"];
  sources: Source[];
  apiSources: ApiSource[];
  result: DivergenceResult;
  pollIntervalMs: number;
  durationMs: number | null;
  /** acknowledgements in force: matching findings carry them, the adjusted rate leaves them out */
  acks?: readonly Ack[];
}): ApiState {
  const { result } = args;
  const acks = args.acks ?? [];
  const nowMs = args.polledAt.getTime();
  const present =
    (project: string) =>
    (f: Finding): ApiFinding => {
      const out: ApiFinding = stripProject(f);
      const a = acks.length ? ackFor(acks, project, f, nowMs) : null;
      return a
        ? { ...out, acknowledgement: { id: a.id, reason: a.reason, owner: a.owner, expires_at: a.expiresAt } }
        : out;
    };
  const health: Record<Health, number> = { consistent: 0, warning: 0, diverged: 0, unknown: 0 };
  const ok = args.sources.filter((s) => s.status === "ok");
  const projects: ApiProject[] = result.projects.map((p) => {
    health[p.health] += 1;
    const sources: ApiProject["sources"] = {};
    for (const s of ok) {
      const e = s.entries.get(p.project);
      sources[s.id] = e ? { container_id: e.containerId, port: e.port } : null;
    }
    return {
      project: p.project,
      health: p.health,
      docker_status: dockerStatus(p),
      containers: p.containers.map(toApiContainer),
      checks: p.checks.map((c) => ({
        source: c.source,
        status: c.status,
        ...(c.in_flight ? { in_flight: true as const } : {}),
        findings: c.findings.map(present(p.project)),
      })),
      findings: p.findings.map(present(p.project)),
      sources,
    };
  });
  const divergedAck = acknowledgedDiverged(result.projects, acks, nowMs);
  return {
    polled_at: args.polledAt.toISOString(),
    poll_id: args.pollId,
    simulated: args.simulated,
    docker: args.docker,
    sources: args.apiSources,
    summary: {
      checks: result.checks,
      diverged: result.diverged,
      in_flight: result.inFlight,
      divergence_rate: result.divergenceRate,
      diverged_acknowledged: divergedAck,
      divergence_rate_acknowledged: roundRate(result.diverged - divergedAck, result.checks),
      acknowledgements_in_force: acks.length,
      projects: projects.length,
      health,
    },
    projects,
    unassigned_containers: result.unassigned.map(toApiContainer),
    collector: { poll_interval_ms: args.pollIntervalMs, duration_ms: args.durationMs },
  };
}

function stripProject<T extends { project: string }>(f: T): Omit<T, "project"> {
  const { project: _p, ...rest } = f;
  return rest;
}

/** Stamps each finding of the state with the opening time of its open episode. */
export function withOpenedAt(state: ApiState, episodes: ReadonlyMap<string, OpenEpisode>): ApiState {
  const stamp = <T extends ApiFinding>(project: string, f: T): T => {
    const subject = findingSubject({ ...f, project });
    const ep = episodes.get(episodeKey({ project, source: f.source ?? "", kind: f.kind, subject }));
    return ep ? { ...f, opened_at: ep.openedAt.toISOString() } : f;
  };
  return {
    ...state,
    projects: state.projects.map((p) => ({
      ...p,
      checks: p.checks.map((c) => ({ ...c, findings: c.findings.map((f) => stamp(p.project, f)) })),
      findings: p.findings.map((f) => stamp(p.project, f)),
    })),
  };
}
