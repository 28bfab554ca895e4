// POST /api/v1/agent/polls - an agent's polls, in order (server role; bearer token per host)
import { handle, json } from "@/lib/http";
import { ingestAgentPolls } from "@/lib/services/agent";

export const dynamic = "force-dynamic";

export const POST = handle(async (req: Request) => json(await ingestAgentPolls(req)));
