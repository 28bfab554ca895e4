import "server-only";
import os from "node:os";
import { env } from "../env";
import { getDb } from "../db";
import { getCollector } from "../collector/runtime";
import { counters } from "../collector/counters";
import { dockerCounters } from "../docker/client";
import { renderMetrics, type MetricsInput } from "../present/metrics";
import { evaluateAt } from "./evaluate";
import { log } from "../log";
import pkg from "../../package.json";

const PHASES_EVERY_MS = 60_000;
type PhaseFigures = NonNullable<MetricsInput["phases"]>;
const g = globalThis as typeof globalThis & {
  __l9MetricsPhases?: { at: number; value: PhaseFigures | null; pending: Promise<void> | null };
};

/**
 * Phase readiness for /metrics, evaluated at most once a minute and in the background: a
 * scrape never waits for more than the first evaluation.
 */
async function phaseFigures(now: Date): Promise<PhaseFigures | null> {
  const cache = (g.__l9MetricsPhases ??= { at: 0, value: null, pending: null });
  if (now.getTime() - cache.at >= PHASES_EVERY_MS && !cache.pending) {
    cache.pending = evaluateAt(getDb(), env(), null, now, dockerCounters.refusedWrites)
      .then((r) => {
        cache.value = {
          current: r.current_phase,
          ready: r.phases.map((p) => p.ready),
          met: r.phases.map((p) => p.criteria.filter((c) => c.status === "met").length),
          criteria: r.phases.map((p) => p.criteria.length),
          rollback: r.rollback !== null,
        };
        cache.at = now.getTime();
      })
      .catch((err: unknown) => log("metrics", "warn", "phase evaluation failed", { error: String(err) }))
      .finally(() => (cache.pending = null));
    if (!cache.value) await cache.pending;
  }
  return cache.value;
}

/** Where alerts link to: the public URL, else the address the app listens on. */
function appUrl(): string {
  const cfg = env();
  if (cfg.auth.publicUrl) return cfg.auth.publicUrl.replace(/\/$/, "");
  const host = cfg.hostname === "0.0.0.0" || cfg.hostname === "::" ? os.hostname() : cfg.hostname;
  return `http://${host.includes(":") ? `[${host}]` : host}:${cfg.port}`;
}

/** The Prometheus text exposition. */
export async function getMetricsText(now: Date = new Date()): Promise<string> {
  return renderMetrics({
    state: getCollector().latestState(),
    docker: { requests: dockerCounters.requests, refusedWrites: dockerCounters.refusedWrites },
    counters: counters(),
    phases: await phaseFigures(now),
    info: { url: appUrl(), version: pkg.version, pollIntervalMs: env().pollIntervalMs },
    now,
  });
}
