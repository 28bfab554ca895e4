// GET /api/v1/phases?window=7d - every phase's criteria, readiness, the current phase
import { handle, json } from "@/lib/http";
import { getPhases } from "@/lib/services/phases";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request) => json(await getPhases(new URL(req.url).searchParams)));
