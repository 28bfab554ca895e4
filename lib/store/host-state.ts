// Issue 26: which state a delivery leaves on its host. A poll with the state in full replaces
// it (with the agent's hash beside it, "" from an agent that sends none); a poll with only a
// hash and a head keeps the stored body under the new head when the hash is the stored one.
import type { PollRecord } from "../contracts/agent";

/**
 * A delivery whose state hash the server does not hold (a new server, a restored database):
 * refused whole, so the agent sends it again with the state in full. Recognised by `name`.
 */
export class StateUnknown extends Error {
  override name = "StateUnknown";
}
export const isStateUnknown = (err: unknown): err is StateUnknown =>
  err instanceof Error && err.name === "StateUnknown";

type Prev = { lastPollId: number; state: string; stateHash: string } | null;

/** The state text and hash to store, or null to keep what is stored (older or no state). */
export function nextHostState(
  prev: Prev,
  polls: readonly PollRecord[],
): { text: string; hash: string } | null {
  let newest: PollRecord | undefined;
  for (const p of polls) if ((p.state !== null || p.state_head) && (!newest || p.id > newest.id)) newest = p;
  if (!newest || (prev && newest.id < prev.lastPollId)) return null;
  if (newest.state !== null) return { text: JSON.stringify(newest.state), hash: newest.state_hash ?? "" };
  const hash = newest.state_hash ?? "";
  if (!prev || hash === "" || prev.stateHash !== hash)
    throw new StateUnknown(
      `the server holds no state with hash ${hash.slice(0, 12) || "(none)"} for this host: send the state in full`,
    );
  // The stored text passed the state schema when it arrived; the head was parsed just now.
  return { text: JSON.stringify({ ...(JSON.parse(prev.state) as object), ...newest.state_head }), hash };
}
