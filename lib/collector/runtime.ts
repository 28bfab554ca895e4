// The process's one collector, on globalThis (Next evaluates modules more than once).
import { env } from "../env";
import { getDb } from "../db";
import { getDockerClient } from "../docker/shared";
import { Collector } from "./collector";
import { collectorStatus } from "./status";
import { log } from "../log";
import { Notifier } from "../notify/notifier";
import { phaseSummary } from "../services/evaluate";
import { dockerCounters } from "../docker/client";

const g = globalThis as typeof globalThis & { __l9Collector?: Collector; __l9Notifier?: Notifier };

export function getCollector(): Collector {
  if (!g.__l9Collector) {
    const cfg = env();
    const db = getDb();
    const collector = new Collector({ cfg, db, docker: getDockerClient() });
    // Built-in notifications follow every poll, without ever holding it up.
    const notifier = new Notifier(db, cfg, (now) => phaseSummary(db, cfg, now, dockerCounters.refusedWrites));
    collector.onPolled((state, at) => void notifier.onPolled(state, at));
    g.__l9Collector = collector;
    g.__l9Notifier = notifier;
  }
  return g.__l9Collector;
}

export function getNotifier(): Notifier {
  getCollector();
  return g.__l9Notifier!;
}

/** Starts the background collector once per process. */
export async function startCollector(): Promise<void> {
  const c = getCollector();
  collectorStatus().running = true;
  try {
    await c.ready();
  } catch (err) {
    log("collector", "error", "could not load history from the database", {
      error: err instanceof Error ? err.message : String(err),
    });
  }
  c.start();
  log("collector", "info", "started", {
    docker: c.cfg.dockerHost,
    registry: c.cfg.registryPath,
    interval_ms: c.cfg.pollIntervalMs,
  });
}
