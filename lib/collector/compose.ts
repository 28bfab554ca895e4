// One poll's outputs from its inputs, without I/O: the /api/v1/state body and the stored
// summary row. The collector reads, this composes, the store records.
import type { Env } from "../env";
import type { ApiSource, ApiState } from "../contracts/state";
import type { DivergenceResult, Source } from "../core/types";
import type { Ack } from "../core/acks";
import type { DockerRead } from "../sources/docker";
import type { PollRow } from "../store/polls";
import { buildState } from "../present/state";

const round1 = (x: number) => Math.round(x * 10) / 10;

export function composePoll(a: {
  cfg: Pick<Env, "simulated" | "pollIntervalMs">;
  polledAt: Date;
  durationMs: number;
  docker: DockerRead;
  endpoint: string;
  lastOkAt: Date | null;
  sources: Source[];
  apiSources: ApiSource[];
  result: DivergenceResult;
  acks: readonly Ack[];
}): { state: ApiState; row: PollRow } {
  const { docker, result } = a;
  const state = buildState({
    pollId: null,
    polledAt: a.polledAt,
    simulated: a.cfg.simulated,
    docker: {
      reachable: docker.reachable,
      endpoint: a.endpoint,
      latency_ms: docker.latencyMs === null ? null : round1(docker.latencyMs),
      error: docker.reachable ? null : docker.error.message,
      last_ok_at: a.lastOkAt?.toISOString() ?? null,
    },
    sources: a.sources,
    apiSources: a.apiSources,
    result,
    pollIntervalMs: a.cfg.pollIntervalMs,
    durationMs: round1(a.durationMs),
    acks: a.acks,
  });
  const row: PollRow = {
    polledAt: a.polledAt,
    dockerReachable: docker.reachable,
    dockerLatencyMs: docker.latencyMs,
    dockerError: docker.reachable ? null : `${docker.error.kind}: ${docker.error.message}`,
    durationMs: a.durationMs,
    intervalMs: a.cfg.pollIntervalMs,
    checks: result.checks,
    diverged: result.diverged,
    divergedAck: state.summary.diverged_acknowledged,
    projects: result.projects.length,
    kindCounts: result.kindCounts,
    simulated: a.cfg.simulated,
  };
  return { state, row };
}
