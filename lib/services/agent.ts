import "server-only";
// The server role's two endpoints (issue 14): agents deliver polls; people list the hosts.
import { env } from "../env";
import { ApiError, readJsonBody, zodToApiError } from "../http";
import { authorizeAgent } from "../access";
import { agentBatchSchema, type AgentAck, type ApiHosts } from "../contracts/agent";
import { getFleet } from "../collector/runtime";
import { AgentConflict } from "../store/hosts";

/** A delivery may carry 500 polls and the host's whole state. */
const AGENT_MAX_BYTES = 32 * 1024 * 1024;

export async function ingestAgentPolls(req: Request): Promise<AgentAck> {
  if (env().role !== "server")
    throw new ApiError(
      "conflict",
      "this app is not a server: start it with L9_ROLE=server to receive agents' polls",
    );
  const host = authorizeAgent(req);
  const parsed = agentBatchSchema.safeParse(await readJsonBody(req, AGENT_MAX_BYTES));
  if (!parsed.success) throw zodToApiError(parsed.error);
  if (parsed.data.host !== host)
    throw new ApiError("forbidden", `this token writes only host ${JSON.stringify(host)}`, "host");
  const r = await getFleet()
    .ingest(parsed.data)
    .catch((err: unknown) => {
      if (err instanceof AgentConflict) throw new ApiError("conflict", err.message, "agent_id");
      throw err;
    });
  return { host, accepted: r.accepted, duplicates: r.duplicates, last_poll_id: r.lastPollId };
}

export async function listHostsFor(): Promise<ApiHosts> {
  const cfg = env();
  return {
    role: cfg.role,
    stale_after_ms: cfg.server.hostStaleMs,
    hosts: cfg.role === "server" ? await getFleet().list() : [],
  };
}
