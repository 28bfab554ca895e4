// POST /api/v1/phases/current - set the current phase (who, when, note; kept as history)
import { handle, json } from "@/lib/http";
import { postPhase } from "@/lib/services/phases";

export const dynamic = "force-dynamic";

export const POST = handle(async (req: Request) => json(await postPhase(req), 201));
