// POST /api/v1/ingest/active-indexers - an orchestrator's active_indexers snapshot
import { handle, json } from "@/lib/http";
import { ingestActiveIndexers } from "@/lib/services/ingest";

export const dynamic = "force-dynamic";

export const POST = handle(async (req: Request) => json(await ingestActiveIndexers(req), 202));
