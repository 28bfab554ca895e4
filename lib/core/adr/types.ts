// What a process of the ADR-0098 branch code reports besides its dicts (CONTRACT 7b, 7c).

/** One entry of a process's `stopped_indexers` (the 24-hour grace period). */
export type StoppedIndexer = { containerId: string | null; stopTimeMs: number | null; port: number | null };

/** One port of a process's in-memory `allocated_ports`. */
export type AllocatedPort = { port: number; project: string | null; sinceMs: number | null };

/**
 * Each is null when the process did not report it (a 1.1 exporter, main's dicts): unknown,
 * never "nothing stopped" or "nothing allocated".
 */
export type ProcessAdrState = {
  stopped: ReadonlyMap<string, StoppedIndexer> | null;
  allocated: readonly AllocatedPort[] | null;
};

export const UNREPORTED: ProcessAdrState = Object.freeze({ stopped: null, allocated: null });

/** JSON form, as stored beside an instance's snapshot. */
export type StoredAdrState = {
  stopped: Record<string, StoppedIndexer> | null;
  allocated: AllocatedPort[] | null;
};

export function toStored(s: ProcessAdrState): StoredAdrState {
  return {
    stopped: s.stopped ? Object.fromEntries(s.stopped) : null,
    allocated: s.allocated ? [...s.allocated] : null,
  };
}

export function fromStored(s: StoredAdrState | null): ProcessAdrState {
  if (!s) return UNREPORTED;
  return { stopped: s.stopped ? new Map(Object.entries(s.stopped)) : null, allocated: s.allocated ?? null };
}
