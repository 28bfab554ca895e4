// Issue 25, like with like in time: a diverged check whose difference a Docker event newer than
// the source's snapshot explains is `in_flight` (shown, not counted in that poll); once the
// source sends a snapshot taken after the event, it counts. Pure: times are arguments (ms).
import type { CheckKind } from "./types";

/** Docker's events and container State times, reduced to what can explain a difference. */
export type ContainerEvent = { action: "create" | "start" | "stop" | "die" | "destroy"; atMs: number };

/** Which events can make each kind of difference appear after the source's snapshot. */
const EXPLAINED_BY: Record<CheckKind, readonly ContainerEvent["action"][]> = {
  // Docker has a running container the snapshot could not know yet.
  missing_in_source: ["create", "start"],
  // The snapshot holds a container Docker has since removed.
  missing_in_docker: ["destroy"],
  // The snapshot holds a container Docker has since stopped.
  not_running: ["stop", "die"],
  // Replaced since: the new one created or the old one removed after the snapshot.
  container_id_mismatch: ["create", "destroy"],
  port_mismatch: ["create", "start"],
  // Two copies inside one process: Docker's timing explains nothing.
  legacy_copies_disagree: [],
};

/**
 * Whether a diverged check is in flight: its container(s) had an event of a kind that explains
 * the difference strictly after the snapshot was taken. `null` taken_at (no snapshot): never.
 */
export function isInFlight(
  kind: CheckKind,
  snapshotTakenAtMs: number | null,
  events: readonly ContainerEvent[],
): boolean {
  if (snapshotTakenAtMs === null) return false;
  const explains = EXPLAINED_BY[kind];
  return events.some((e) => explains.includes(e.action) && e.atMs > snapshotTakenAtMs);
}

/** A container's State times as events (the list API's Created is in seconds: it is a create). */
export function stateEvents(s: {
  createdMs?: number | null;
  startedMs?: number | null;
  finishedMs?: number | null;
}): ContainerEvent[] {
  const out: ContainerEvent[] = [];
  if (s.createdMs) out.push({ action: "create", atMs: s.createdMs });
  if (s.startedMs) out.push({ action: "start", atMs: s.startedMs });
  if (s.finishedMs) out.push({ action: "stop", atMs: s.finishedMs });
  return out;
}
