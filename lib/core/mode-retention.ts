// Issue 25: how long mode changes are kept. A phase's time in its mode needs each live
// process's mode at the window's start, which is its last change before the window: so the
// retention keeps, per process still heard from after the cut, its last change before the cut,
// and drops the rest. A process not heard from since the cut is in no window: all of its older
// changes go. Between prunes a flapping mode is bounded by a per-process cap (the oldest go
// first). Pure: rows and sets are arguments.

/** At most this many changes are kept per process (host and instance); the oldest go first. */
export const MODE_CHANGES_PER_PROCESS = 1000;

export type StoredModeChange = { id: number; host: string; instanceId: string; at: number };

export const processKey = (host: string, instanceId: string): string => `${host}\u0000${instanceId}`;

/**
 * The ids to delete among the changes older than the cut (`older`): all but each process's
 * last one (latest `at`, then highest id), and that one too when the process is not in
 * `heardSince` (the processes last seen at or after the cut).
 */
export function modeChangesToPrune(
  older: readonly StoredModeChange[],
  heardSince: ReadonlySet<string>,
): number[] {
  const last = new Map<string, StoredModeChange>();
  for (const c of older) {
    const k = processKey(c.host, c.instanceId);
    const best = last.get(k);
    if (!best || c.at > best.at || (c.at === best.at && c.id > best.id)) last.set(k, c);
  }
  const out: number[] = [];
  for (const c of older) {
    const k = processKey(c.host, c.instanceId);
    if (last.get(k) !== c || !heardSince.has(k)) out.push(c.id);
  }
  return out.sort((a, b) => a - b);
}

/** How many of a process's `count` stored changes must go (the oldest) to stay within the cap. */
export const overCap = (count: number, cap: number = MODE_CHANGES_PER_PROCESS): number =>
  Math.max(0, count - cap);
