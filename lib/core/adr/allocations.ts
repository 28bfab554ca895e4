// CONTRACT 7c: ports each process allocates in its own memory (from 48100, never asking
// Docker). Two live processes allocating one port, or one allocating a port another project's
// container binds, is a port_conflict; a port kept over 5 minutes with nothing of that
// process bound to it is a port_leak.
import type { Criterion } from "../phase-types";
import type { Container, Finding, Source } from "../types";

export const PORT_LEAK_MS = 5 * 60_000;

const live = (sources: readonly Source[]) =>
  sources.filter((s) => s.kind === "active_indexers" && s.status === "ok" && s.adr?.allocated);
const name = (s: Source) => s.id.slice("active_indexers:".length);
const bound = (c: Container) => c.boundPort ?? c.port;

/** The containers a process holds or lists as stopped (by id prefix). */
function theirs(s: Source, containers: readonly Container[]): Container[] {
  const ids: string[] = [];
  for (const e of s.entries.values()) if (e.containerId) ids.push(e.containerId.toLowerCase());
  for (const e of s.adr?.stopped?.values() ?? []) if (e.containerId) ids.push(e.containerId.toLowerCase());
  return containers.filter((c) => ids.some((id) => c.id.startsWith(id)));
}

export function allocationFindings(
  containers: readonly Container[],
  sources: readonly Source[],
  nowMs: number,
): Finding[] {
  const procs = live(sources);
  if (procs.length === 0) return [];
  const out: Finding[] = [];
  const byPort = new Map<number, { s: Source; project: string | null }[]>();
  for (const s of procs)
    for (const a of s.adr!.allocated!)
      byPort.set(a.port, [...(byPort.get(a.port) ?? []), { s, project: a.project }]);
  for (const [port, list] of byPort) {
    if (list.length > 1) {
      const who = list.map((l) => `${name(l.s)}${l.project ? ` for ${l.project}` : ""}`).join(", ");
      for (const l of list)
        if (l.project)
          out.push({
            kind: "port_conflict",
            project: l.project,
            expected: null,
            actual: port,
            message: `port ${port} is allocated by ${list.length} live processes (${who}): each allocates from 48100 in its own memory`,
          });
    }
    for (const l of list) {
      const mine = new Set(theirs(l.s, containers).map((c) => c.id));
      for (const c of containers) {
        if (c.state !== "running" || bound(c) !== port || c.project === null || mine.has(c.id)) continue;
        if (l.project !== null && c.project === l.project) continue;
        const msg = `port ${port} allocated by ${name(l.s)}${l.project ? ` for ${l.project}` : ""} is bound by container ${c.id.slice(0, 12)} of ${c.project}`;
        for (const project of new Set([l.project, c.project]))
          if (project)
            out.push({
              kind: "port_conflict",
              project,
              container_id: c.id,
              expected: null,
              actual: port,
              message: msg,
            });
      }
    }
  }
  for (const s of procs) {
    const mine = theirs(s, containers);
    for (const a of s.adr!.allocated!) {
      if (a.sinceMs === null || nowMs - a.sinceMs <= PORT_LEAK_MS || a.project === null) continue;
      if (mine.some((c) => bound(c) === a.port)) continue;
      const min = Math.round((nowMs - a.sinceMs) / 60_000);
      out.push({
        kind: "port_leak",
        project: a.project,
        source: s.id,
        expected: "a container of this process bound to it",
        actual: a.port,
        message: `${name(s)} has kept port ${a.port} allocated for ${a.project} for ${min} min; no container it holds or stopped is bound to it`,
      });
    }
  }
  return out;
}

/** Phase 3's "port conflicts eliminated": refused binds in the window count beside the conflicts. */
export function withAllocationFailures(c: Criterion, failures: number | undefined): Criterion {
  if (!failures) return c;
  const conflicts = typeof c.actual === "number" ? c.actual : 0;
  return {
    ...c,
    actual: conflicts + failures,
    status: "not_met",
    evidence: {
      ...c.evidence,
      summary: `${c.evidence.summary}; ${failures} allocation_failed event(s) (Docker refused to bind: port is already allocated)`,
    },
  };
}
