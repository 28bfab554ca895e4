// GET /metrics - Prometheus text exposition of the latest poll
import { handle } from "@/lib/http";
import { getCollector } from "@/lib/collector/runtime";
import { dockerCounters } from "@/lib/docker/client";
import { renderMetrics } from "@/lib/core/metrics";

export const dynamic = "force-dynamic";

export const GET = handle(async () => {
  const text = renderMetrics(getCollector().latestState(), { dockerRequests: dockerCounters.requests, refusedWrites: dockerCounters.refusedWrites });
  return new Response(text, { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" } });
});
