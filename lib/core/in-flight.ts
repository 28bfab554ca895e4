// Issue 25, like with like in time: a diverged check whose difference a Docker event newer than
// the source's snapshot explains is `in_flight` (shown, not counted in that poll); once the
// source sends a snapshot taken after the event, it counts. Pure: times are arguments (ms).
import { CHECK_KINDS, type Check, type CheckKind, type Container, type ContainerEvent } from "./types";

export type { ContainerEvent } from "./types";

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

const CHECK_KIND_SET = new Set<string>(CHECK_KINDS);

/**
 * A project's events for the rule: the ring's (create/start/stop/die/destroy; a destroy is
 * known only from there) and each container's Created time from the list.
 */
export function projectEvents(
  ring: readonly ContainerEvent[] | undefined,
  containers: readonly Container[],
): ContainerEvent[] {
  const out = ring ? ring.slice() : [];
  for (const c of containers) out.push({ action: "create", atMs: c.createdMs });
  return out;
}

/**
 * The check as this poll counts it: a diverged check whose every finding is explained is
 * returned marked `in_flight` (its findings too); any other check is returned as it is.
 */
export function withInFlight(
  check: Check,
  snapshotTakenAtMs: number | null,
  events: readonly ContainerEvent[],
): Check {
  if (check.findings.length === 0 || snapshotTakenAtMs === null) return check;
  for (const f of check.findings)
    if (!CHECK_KIND_SET.has(f.kind) || !isInFlight(f.kind as CheckKind, snapshotTakenAtMs, events))
      return check;
  return { ...check, in_flight: true, findings: check.findings.map((f) => ({ ...f, in_flight: true })) };
}
