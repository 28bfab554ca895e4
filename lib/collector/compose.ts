// One poll's outputs from its inputs, without I/O: the /api/v1/state body and the poll's
// figures (its record's summary without running totals). The collector reads, this composes.
import type { Env } from "../env";
import type { ApiSource, ApiState } from "../contracts/state";
import type { DivergenceResult, Source } from "../core/types";
import type { Ack } from "../core/acks";
import type { DockerRead } from "../sources/docker";
import { kindCounts, type PollFigures } from "../present/poll";
import { buildState } from "../present/state";
import { ms1 } from "../core/format";

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
}): { state: ApiState; figures: PollFigures } {
  const { docker, result } = a;
  const state = buildState({
    pollId: null,
    polledAt: a.polledAt,
    simulated: a.cfg.simulated,
    docker: {
      reachable: docker.reachable,
      endpoint: a.endpoint,
      latency_ms: docker.latencyMs === null ? null : ms1(docker.latencyMs),
      error: docker.reachable ? null : docker.error.message,
      last_ok_at: a.lastOkAt?.toISOString() ?? null,
    },
    sources: a.sources,
    apiSources: a.apiSources,
    result,
    pollIntervalMs: a.cfg.pollIntervalMs,
    durationMs: ms1(a.durationMs),
    acks: a.acks,
  });
  const figures: PollFigures = {
    polled_at: a.polledAt,
    docker_reachable: docker.reachable,
    docker_latency_ms: docker.latencyMs,
    docker_error: docker.reachable ? null : `${docker.error.kind}: ${docker.error.message}`,
    duration_ms: a.durationMs,
    interval_ms: a.cfg.pollIntervalMs,
    checks: result.checks,
    diverged: result.diverged,
    in_flight: result.inFlight,
    diverged_ack: state.summary.diverged_acknowledged,
    projects: result.projects.length,
    kind_counts: kindCounts(result.kindCounts),
    simulated: a.cfg.simulated,
  };
  return { state, figures };
}
