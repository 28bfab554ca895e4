// GET /api/v1/series?from=&to= - bucketed divergence, findings by kind, fallback and latency
import { handle, json } from "@/lib/http";
import { getSeriesFor } from "@/lib/services/overview";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request) => json(await getSeriesFor(new URL(req.url).searchParams)));
