// Issue 26: which state a delivery leaves on its host. A poll with the state in full replaces
// it (with the agent's hash beside it, "" from an agent that sends none); a poll with only a
// hash and a head keeps the stored state and lays the new head over it (Host.stateHead), when
// the hash is the stored one: such a delivery neither reads nor writes the full state.
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

type Prev = { lastPollId: number; stateHash: string } | null;
export type StateHead = NonNullable<PollRecord["state_head"]>;
export type NextState =
  | { kind: "full"; state: NonNullable<PollRecord["state"]>; hash: string }
  | { kind: "head"; head: StateHead; hash: string };

/** What to store of a delivery's newest state, or null to keep what is stored (older or none). */
export function nextHostState(prev: Prev, polls: readonly PollRecord[]): NextState | null {
  let newest: PollRecord | undefined;
  for (const p of polls) if ((p.state !== null || p.state_head) && (!newest || p.id > newest.id)) newest = p;
  if (!newest || (prev && newest.id < prev.lastPollId)) return null;
  if (newest.state !== null) return { kind: "full", state: newest.state, hash: newest.state_hash ?? "" };
  const hash = newest.state_hash ?? "";
  if (!prev || hash === "" || prev.stateHash !== hash || !newest.state_head)
    throw new StateUnknown(
      `the server holds no state with hash ${hash.slice(0, 12) || "(none)"} for this host: send the state in full`,
    );
  return { kind: "head", head: newest.state_head, hash };
}

/** The stored state with the newest head laid over it (both texts as stored). */
export function withHead<T extends object>(state: T | null, headText: string): T | null {
  if (!state || headText === "") return state;
  return { ...state, ...(JSON.parse(headText) as object) };
}
