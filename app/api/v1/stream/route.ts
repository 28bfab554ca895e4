// GET /api/v1/stream - server-sent events: `poll` after every poll (the pages refetch the state)
import { handle } from "@/lib/http";
import { pollStream } from "@/lib/services/state";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request) => pollStream(req.signal));
