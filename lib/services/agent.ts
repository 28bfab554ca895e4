import "server-only";
// The server role's two endpoints (issue 14): agents deliver polls; people list the hosts.
import { env } from "../env";
import { ApiError, readJsonBody, refuseFutureTimes, zodToApiError } from "../http";
import { authorizeAgent } from "../access";
import { agentBatchSchema, type AgentAck, type ApiHosts } from "../contracts/agent";
import { getFleet } from "../collector/runtime";
import { isAgentConflict } from "../store/hosts";
import { isStateUnknown } from "../store/host-state";

/** A delivery may carry 500 polls and the host's whole state. */
const AGENT_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Rows one delivery may add (containers, episodes, runs, read events, restarts, processes, mode
 * changes), all polls together.
 */
export const MAX_AGENT_ROWS = 100_000;

export async function ingestAgentPolls(req: Request, now: Date = new Date()): Promise<AgentAck> {
  if (env().role !== "server")
    throw new ApiError(
      "conflict",
      "this app is not a server: start it with L9_ROLE=server to receive agents' polls",
    );
  const host = authorizeAgent(req);
  const parsed = agentBatchSchema.safeParse(await readJsonBody(req, AGENT_MAX_BYTES));
  if (!parsed.success) throw zodToApiError(parsed.error);
  const rows = parsed.data.polls.reduce(
    (n, p) =>
      n +
      p.new_containers.length +
      p.episodes_opened.length +
      p.episodes_closed.length +
      p.runs_opened.length +
      p.runs_closed.length +
      p.read_events.length +
      p.restarts.length +
      p.processes.length +
      p.mode_changes.length,
    0,
  );
  if (rows > MAX_AGENT_ROWS)
    throw new ApiError(
      "payload_too_large",
      `polls: ${rows} rows in one delivery; at most ${MAX_AGENT_ROWS} (the agent sends fewer polls per delivery)`,
      "polls",
    );
  refuseFutureTimes(parsed.data, now);
  if (parsed.data.host !== host)
    throw new ApiError("forbidden", `this token writes only host ${JSON.stringify(host)}`, "host");
  const r = await getFleet()
    .ingest(parsed.data)
    .catch((err: unknown) => {
      if (isAgentConflict(err)) throw new ApiError("conflict", err.message, "agent_id");
      if (isStateUnknown(err)) throw new ApiError("conflict", err.message, "state_hash");
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
