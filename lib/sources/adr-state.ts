// CONTRACT 7b, 7c: a snapshot's stopped_indexers and allocated_ports as the core reads them.
import type { ActiveIndexersSnapshot } from "../contracts/ingest";
import { UNREPORTED, type AllocatedPort, type ProcessAdrState, type StoppedIndexer } from "../core/adr/types";

type Snap = Pick<ActiveIndexersSnapshot, "stopped_indexers" | "allocated_ports" | "orchestrators">;

/**
 * The process's union: the top-level fields when sent (the exporter sends the union there),
 * else the union of its orchestrators' own. Absent everywhere: unknown.
 */
export function snapshotAdrState(snap: Snap): ProcessAdrState {
  const stoppedParts = snap.stopped_indexers
    ? [snap.stopped_indexers]
    : (snap.orchestrators ?? []).flatMap((o) => (o.stopped_indexers ? [o.stopped_indexers] : []));
  const allocatedParts = snap.allocated_ports
    ? [snap.allocated_ports]
    : (snap.orchestrators ?? []).flatMap((o) => (o.allocated_ports ? [o.allocated_ports] : []));
  if (stoppedParts.length === 0 && allocatedParts.length === 0) return UNREPORTED;
  let stopped: Map<string, StoppedIndexer> | null = null;
  if (stoppedParts.length > 0) {
    stopped = new Map();
    for (const part of stoppedParts)
      for (const [project, e] of Object.entries(part))
        stopped.set(project, {
          containerId: e.container_id ? e.container_id.toLowerCase() : null,
          stopTimeMs: e.stop_time ? e.stop_time.getTime() : null,
          port: e.port ?? null,
        });
  }
  let allocated: AllocatedPort[] | null = null;
  if (allocatedParts.length > 0) {
    const byPort = new Map<number, AllocatedPort>();
    for (const part of allocatedParts)
      for (const a of part) {
        if (a.port === null) continue;
        const prev = byPort.get(a.port);
        const since = a.since ? a.since.getTime() : null;
        byPort.set(a.port, {
          port: a.port,
          project: a.project ?? prev?.project ?? null,
          sinceMs:
            prev?.sinceMs != null && since != null
              ? Math.min(prev.sinceMs, since)
              : (since ?? prev?.sinceMs ?? null),
        });
      }
    allocated = [...byPort.values()].sort((x, y) => x.port - y.port);
  }
  return { stopped, allocated };
}
