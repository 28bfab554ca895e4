import "server-only";
import { getCollector } from "../collector/runtime";
import { dockerCounters } from "../docker/client";
import { renderMetrics } from "../present/metrics";

/** The Prometheus text exposition of the latest poll and the process's Docker counters. */
export function getMetricsText(): string {
  return renderMetrics(getCollector().latestState(), {
    dockerRequests: dockerCounters.requests,
    refusedWrites: dockerCounters.refusedWrites,
  });
}
