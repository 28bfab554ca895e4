import "server-only";
import { env, isPostgresUrl, sqlitePath } from "../env";
import { getDb } from "../db";
import { probeDatabase } from "../store/dialect";
import { dbVerdict } from "../core/db-health";
import { getDockerClient } from "../docker/shared";
import { collectorStatus } from "../collector/status";
import { getFleet, getShipper, isNotifyingProcess } from "../collector/runtime";
import type { HealthReport } from "../contracts/health";

async function checkDocker(): Promise<NonNullable<HealthReport["docker"]>> {
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

/** Health never waits on the database longer than this (a lock answers 503, not a hang). */
export const DB_PROBE_BOUND_MS = 1000;

type DbCheck = { report: HealthReport["database"]; reasons: string[] };

async function checkDatabase(): Promise<DbCheck> {
  const url = env().databaseUrl;
  const probe = await probeDatabase(getDb(), isPostgresUrl(url) ? null : sqlitePath(url), DB_PROBE_BOUND_MS);
  const last = collectorStatus().lastWrite;
  const verdict = dbVerdict(probe, last);
  return {
    reasons: verdict.reasons,
    report: {
      status: verdict.status,
      error: verdict.error,
      latency_ms: probe.kind === "ok" ? round(probe.latencyMs) : null,
      last_write: last
        ? {
            ok: last.ok,
            at: last.at.toISOString(),
            error: last.error,
            consecutive_failures: last.consecutiveFailures,
            last_ok_at: last.lastOkAt?.toISOString() ?? null,
          }
        : null,
    },
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** A team server: the database, and whether its agents deliver. */
async function serverHealth(): Promise<HealthReport> {
  const cfg = env();
  const [db, hosts] = await Promise.all([
    checkDatabase(),
    getFleet()
      .summary()
      .catch(() => null),
  ]);
  const reasons: string[] = [...db.reasons];
  const stale = hosts?.stale ?? 0;
  const last = hosts?.lastReceivedAt ?? null;
  if (hosts && hosts.total === 0) reasons.push("no agent has sent a poll yet");
  else if (hosts && stale === hosts.total) reasons.push(`every host is silent (${stale} stale)`);
  return {
    status: reasons.length === 0 ? "ok" : "degraded",
    reasons,
    role: "server",
    docker: null,
    database: db.report,
    collector: {
      running: true,
      last_poll_at: last,
      behind: false,
      poll_interval_ms: cfg.pollIntervalMs,
    },
    hosts: { total: hosts?.total ?? 0, stale, last_received_at: last },
    leader: isNotifyingProcess(),
  };
}

export async function getHealth(now: Date = new Date()): Promise<HealthReport> {
  const cfg = env();
  if (cfg.role === "server") return serverHealth();
  const [docker, db] = await Promise.all([checkDocker(), checkDatabase()]);
  const c = collectorStatus();
  const lastPoll = c.lastPollAt;
  // Behind: no poll for three intervals (plus the Docker timeout a slow poll may take).
  const allowance = 3 * cfg.pollIntervalMs + cfg.dockerTimeoutMs;
  const since = lastPoll ? now.getTime() - lastPoll.getTime() : now.getTime() - c.startedAt.getTime();
  const behind = c.running && since > allowance;
  const reasons: string[] = [];
  if (!docker.reachable) reasons.push(`Docker unreachable at ${docker.endpoint}: ${docker.error}`);
  reasons.push(...db.reasons);
  if (!c.running) reasons.push("collector not running");
  else if (behind) reasons.push(`collector behind: no poll for ${Math.round(since / 1000)} s`);
  const shipper = cfg.role === "agent" ? getShipper() : null;
  return {
    status: reasons.length === 0 ? "ok" : "degraded",
    reasons,
    role: cfg.role,
    docker,
    database: db.report,
    ...(shipper
      ? {
          agent: {
            server: shipper.status.server,
            buffered: shipper.status.buffered,
            dropped: shipper.status.dropped,
            last_error: shipper.status.lastError,
          },
        }
      : {}),
    collector: {
      running: c.running,
      last_poll_at: lastPoll?.toISOString() ?? null,
      behind,
      poll_interval_ms: cfg.pollIntervalMs,
    },
  };
}
