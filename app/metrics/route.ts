// GET /metrics - Prometheus text exposition of the latest poll
import { handle } from "@/lib/http";
import { getMetricsText } from "@/lib/services/metrics";

export const dynamic = "force-dynamic";

const TEXT_HEADERS = {
  "content-type": "text/plain; version=0.0.4; charset=utf-8",
  "cache-control": "no-store",
};

export const GET = handle(async () => new Response(await getMetricsText(), { headers: TEXT_HEADERS }));
