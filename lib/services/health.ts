import "server-only";
import { env } from "../env";
import { getDb } from "../db";
import { ping } from "../store/dialect";
import { getDockerClient } from "../docker/shared";
import { collectorStatus } from "../collector/status";
import type { HealthReport } from "../contracts/health";

async function checkDocker(): Promise<HealthReport["docker"]> {
  const cfg = env();
  const started = performance.now();
  try {
    await getDockerClient().ping();
    return {
      reachable: true,
      endpoint: cfg.dockerHost,
      latency_ms: round(performance.now() - started),
      error: null,
    };
  } catch (err) {
    return {
      reachable: false,
      endpoint: cfg.dockerHost,
      latency_ms: null,
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

async function checkDatabase(): Promise<HealthReport["database"]> {
  try {
    await ping(getDb());
    return { status: "ok", error: null };
  } catch (err) {
    console.error("[health] database check failed", err);
    return { status: "error", error: "database query failed" };
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

export async function getHealth(now: Date = new Date()): Promise<HealthReport> {
  const cfg = env();
  const [docker, database] = await Promise.all([checkDocker(), checkDatabase()]);
  const c = collectorStatus();
  const lastPoll = c.lastPollAt;
  // Behind: no poll for three intervals (plus the Docker timeout a slow poll may take).
  const allowance = 3 * cfg.pollIntervalMs + cfg.dockerTimeoutMs;
  const since = lastPoll ? now.getTime() - lastPoll.getTime() : now.getTime() - c.startedAt.getTime();
  const behind = c.running && since > allowance;
  const reasons: string[] = [];
  if (!docker.reachable) reasons.push(`Docker unreachable at ${docker.endpoint}: ${docker.error}`);
  if (database.status !== "ok") reasons.push("database unavailable");
  if (!c.running) reasons.push("collector not running");
  else if (behind) reasons.push(`collector behind: no poll for ${Math.round(since / 1000)} s`);
  return {
    status: reasons.length === 0 ? "ok" : "degraded",
    reasons,
    docker,
    database,
    collector: {
      running: c.running,
      last_poll_at: lastPoll?.toISOString() ?? null,
      behind,
      poll_interval_ms: cfg.pollIntervalMs,
    },
  };
}
