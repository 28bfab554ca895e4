// The process's one collector, on globalThis (Next evaluates modules more than once).
import { env } from "../env";
import { getDb } from "../db";
import { getDockerClient } from "../docker/shared";
import { Collector } from "./collector";
import { collectorStatus } from "./status";
import { log } from "../log";

const g = globalThis as typeof globalThis & { __l9Collector?: Collector };

export function getCollector(): Collector {
  g.__l9Collector ??= new Collector({ cfg: env(), db: getDb(), docker: getDockerClient() });
  return g.__l9Collector;
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
