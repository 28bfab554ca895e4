// GET /api/v1/hosts - the server's hosts: last poll, agent version, lag, buffered polls, stale
import { handle, json } from "@/lib/http";
import { listHostsFor } from "@/lib/services/agent";

export const dynamic = "force-dynamic";

export const GET = handle(async () => json(await listHostsFor()));
