// GET /api/v1/state - the latest poll
import { handle, json } from "@/lib/http";
import { getState } from "@/lib/services/state";

export const dynamic = "force-dynamic";

export const GET = handle(async () => json(await getState()));
