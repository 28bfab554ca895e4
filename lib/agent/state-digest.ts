// Issue 26: an agent sends its host's state in full only when it changed. The state splits
// into a head that moves every poll (times, Docker's latency, sources' read times, the
// collector's duration) and a body (projects, summary) that moves only with a change; the hash
// covers the body, so an unchanged body travels as its hash plus the small head.
import { createHash } from "node:crypto";
import type { ApiState } from "../contracts/state";

const HEAD_KEYS = ["polled_at", "poll_id", "docker", "sources", "collector"] as const;
export type StateHead = Pick<ApiState, (typeof HEAD_KEYS)[number]>;

export function stateHead(s: ApiState): StateHead {
  return {
    polled_at: s.polled_at,
    poll_id: s.poll_id,
    docker: s.docker,
    sources: s.sources,
    collector: s.collector,
  };
}

/** sha-256 of the state without its head (the agent's own key order: it only compares its own). */
export function stateDigest(s: ApiState): string {
  const body: Record<string, unknown> = { ...s };
  for (const k of HEAD_KEYS) delete body[k];
  return createHash("sha256").update(JSON.stringify(body)).digest("hex");
}
