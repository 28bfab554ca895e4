import "server-only";
import { getDb } from "../db";
import { getWindowFigures } from "../store/window-figures";
import { getReadFigures, getSeries } from "../store/series";
import { restartsBetween } from "../store/instances";
import { modeRollbacksBetween } from "../store/modes";
import { phaseChangesBetween } from "../store/phases";
import type { ApiOverview, ApiSeries, GateTargets, WindowSummary } from "../contracts/overview";
import { DIVERGENCE_TARGET, FALLBACK_TARGET } from "../core/phases";
import { parseDuration, parseRange } from "../core/time";
import { env, retentionLimit } from "../env";
import { hostFilter, hostScope } from "./evaluate";
import type { HostScope } from "../store/history";

const TARGETS: GateTargets = { divergence_rate: DIVERGENCE_TARGET, fallback_rate: FALLBACK_TARGET };

async function windowSummary(window: string, now: Date, hosts: HostScope): Promise<WindowSummary> {
  const db = getDb();
  const from = new Date(now.getTime() - (parseDuration(window) ?? 86400_000));
  const [w, r] = await Promise.all([
    getWindowFigures(db, from, now, hosts),
    getReadFigures(db, from, now, undefined, hosts),
  ]);
  return {
    window,
    from: from.toISOString(),
    to: now.toISOString(),
    polls: w.polls,
    checks: w.checks,
    diverged: w.diverged,
    divergence_rate: w.checks ? w.diverged / w.checks : null,
    reads: r.reads,
    fallback: r.fallback,
    fallback_rate: r.reads ? r.fallback / r.reads : null,
    unanswered: r.unanswered,
    docker_ok_rate: r.reads ? r.dockerOk / r.reads : null,
    cache: r.cache,
    stale_cache: r.staleCache,
  };
}

export async function getOverview(
  now: Date = new Date(),
  search: URLSearchParams | null = null,
): Promise<ApiOverview> {
  const hosts = await hostScope(getDb(), env(), hostFilter(search));
  return {
    windows: await Promise.all(["1h", "24h", "7d"].map((w) => windowSummary(w, now, hosts))),
    targets: TARGETS,
  };
}

export async function getSeriesFor(search: URLSearchParams, now: Date = new Date()): Promise<ApiSeries> {
  const { from, to } = parseRange(
    search.get("from"),
    search.get("to"),
    now,
    24 * 3600_000,
    retentionLimit(env()),
  );
  const db = getDb();
  const hosts = await hostScope(db, env(), hostFilter(search));
  const [s, restarts, phases, modeRollbacks] = await Promise.all([
    getSeries(db, from, to, 120, hosts),
    restartsBetween(db, from, to),
    phaseChangesBetween(db, from, to),
    modeRollbacksBetween(db, from, to, hosts),
  ]);
  const annotations: ApiSeries["annotations"] = [
    ...restarts.map((r) => ({
      at: r.detectedAt.toISOString(),
      kind: "restart" as const,
      label: `orchestrator restart: ${r.previousInstanceId} → ${r.instanceId} (${r.reason})`,
      simulated: r.simulated,
    })),
    ...phases.map((p) => ({
      at: p.setAt.toISOString(),
      kind: "phase_change" as const,
      label: `phase set to ${p.phase} by ${p.setBy}`,
      simulated: false,
    })),
    ...modeRollbacks.map((r) => ({
      at: r.at,
      kind: "mode_rollback" as const,
      label: `mode rollback: ${r.host ? `${r.host}: ` : ""}${r.instance_id} went from ${r.from} back to ${r.to}`,
      simulated: false,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return { from: from.toISOString(), to: to.toISOString(), ...s, annotations, targets: TARGETS };
}
