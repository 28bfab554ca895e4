// An orchestrator snapshot's entries as the divergence core reads them (CONTRACT 1c, 6a), keeping
// unchanged entries as the same objects (the core's memo compares by identity). Pure.
import type { ActiveIndexersSnapshot } from "../contracts/ingest";
import type { SourceEntry, SourceValue } from "../core/types";

/**
 * A snapshot's entries. With `orchestrators` (CONTRACT 6a) the source is the union of every
 * dict of the process; a project held by several dicts keeps each dict's values as `copies`.
 */
export function snapshotEntries(
  snap: ActiveIndexersSnapshot,
  previous?: Map<string, SourceEntry>,
): Map<string, SourceEntry> {
  const value = (e: ActiveIndexersSnapshot["indexers"][string]) => ({
    containerId: e.container_id ?? null,
    port: e.port ?? null,
  });
  const entries = new Map<string, SourceEntry>();
  // An entry equal to the previous snapshot's stays that object (the divergence core's memo
  // compares by identity; exporters send the same dict every few seconds).
  const put = (project: string, e: SourceEntry) => {
    const before = previous?.get(project);
    entries.set(project, before && sameEntry(before, e) ? before : e);
  };
  // Every entry as before: the previous map itself.
  const unchanged = () =>
    previous !== undefined &&
    previous.size === entries.size &&
    [...entries].every(([project, e]) => previous.get(project) === e);
  if (!snap.orchestrators) {
    for (const [project, e] of Object.entries(snap.indexers)) put(project, value(e));
    return unchanged() ? previous! : entries;
  }
  const copies = new Map<string, (SourceValue & { holder: string })[]>();
  for (const o of snap.orchestrators) {
    for (const [project, e] of Object.entries(o.indexers)) {
      const list = copies.get(project);
      const copy = { holder: o.name, ...value(e) };
      if (list) list.push(copy);
      else copies.set(project, [copy]);
    }
  }
  for (const [project, list] of copies) {
    const { holder: _holder, ...first } = list[0]!;
    put(project, list.length > 1 ? { ...first, copies: list } : first);
  }
  return unchanged() ? previous! : entries;
}

function sameEntry(a: SourceEntry, b: SourceEntry): boolean {
  if (a.containerId !== b.containerId || a.port !== b.port) return false;
  const ca = a.copies ?? [];
  const cb = b.copies ?? [];
  return (
    ca.length === cb.length &&
    ca.every(
      (c, i) => c.holder === cb[i]!.holder && c.containerId === cb[i]!.containerId && c.port === cb[i]!.port,
    )
  );
}
