// POST /api/v1/ingest/allocation-failed - Docker refused to bind an allocated port (CONTRACT 7c)
import { handle, json } from "@/lib/http";
import { ingestAllocationFailed } from "@/lib/services/ingest";

export const dynamic = "force-dynamic";

export const POST = handle(async (req: Request) => json(await ingestAllocationFailed(req), 202));
