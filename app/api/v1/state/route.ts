// GET /api/v1/state?host= - the latest poll (on a server: every host's, or some)
import { handle, json } from "@/lib/http";
import { getState } from "@/lib/services/state";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request) => json(await getState(new URL(req.url).searchParams)));
