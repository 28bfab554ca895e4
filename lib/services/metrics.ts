import "server-only";
import { appUrl, env } from "../env";
import { getDb } from "../db";
import { live } from "../collector/runtime";
import { counters } from "../collector/counters";
import { dockerCounters } from "../docker/client";
import { renderMetrics } from "../present/metrics";
import { phaseSummary } from "./evaluate";
import pkg from "../../package.json";

/** The Prometheus text exposition. */
export async function getMetricsText(now: Date = new Date()): Promise<string> {
  return renderMetrics({
    state: env().role === "server" ? await live().state() : live().latestState(),
    docker: { requests: dockerCounters.requests, refusedWrites: dockerCounters.refusedWrites },
    counters: counters(),
    phases: await phaseSummary(getDb(), env(), now, dockerCounters.refusedWrites),
    info: { url: appUrl(env()), version: pkg.version, pollIntervalMs: env().pollIntervalMs },
    now,
  });
}
