// POST /api/v1/ingest/read-events - read-path events (Phase 2)
import { handle, json } from "@/lib/http";
import { ingestReadEvents } from "@/lib/services/ingest";

export const dynamic = "force-dynamic";

export const POST = handle(async (req: Request) => json(await ingestReadEvents(req), 202));
