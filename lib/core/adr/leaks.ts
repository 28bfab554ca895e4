// CONTRACT 7b: a stopped (exited or created) managed container that no live process lists in
// its stopped_indexers or holds is leaked. Decided only when the processes report their
// stopped_indexers (absent = unknown: a 1.1 exporter or main's dicts leave it undecided).
import type { Criterion } from "../phase-types";
import type { Container, DivergenceResult, Finding, Source, SourceEntry } from "../types";
import type { StoppedIndexer } from "./types";

const isStopped = (c: Container) => c.state === "exited" || c.state === "created";

function holdsId(entries: ReadonlyMap<string, SourceEntry> | undefined, id: string): boolean {
  if (!entries) return false;
  for (const e of entries.values())
    if (e.containerId && id.startsWith(e.containerId.toLowerCase())) return true;
  return false;
}

function stoppedEntry(stopped: ReadonlyMap<string, StoppedIndexer> | null | undefined, id: string) {
  if (!stopped) return undefined;
  for (const e of stopped.values()) if (e.containerId && id.startsWith(e.containerId)) return e;
  return undefined;
}

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/**
 * Leaked containers of one poll. A crash-leaked one (its last holder went stale) carries that
 * holder as `source`, so Phase 3 can tell it from one left by a clean exit or by nobody known.
 */
export function leakedFindings(
  containers: readonly Container[],
  sources: readonly Source[],
  nowMs: number,
): Finding[] {
  const instances = sources.filter((s) => s.kind === "active_indexers");
  const live = instances.filter((s) => s.status === "ok");
  // Decided once the fleet's code reports stopped_indexers (any process, live or not) and every
  // live process does; with none live, a crash's leak stays leaked (nothing accounts for it).
  if (!instances.some((s) => s.adr?.stopped) || live.some((s) => !s.adr?.stopped)) return [];
  const out: Finding[] = [];
  for (const c of containers) {
    if (c.project === null || !isStopped(c)) continue;
    if (live.some((s) => holdsId(s.entries, c.id) || stoppedEntry(s.adr?.stopped, c.id))) continue;
    // Its last holder: a process no longer live that held it or listed it as stopped.
    let holder: Source | undefined;
    let stop: StoppedIndexer | undefined;
    for (const s of instances) {
      if (s.status === "ok") continue;
      const e = stoppedEntry(s.adr?.stopped, c.id);
      if (!e && !holdsId(s.held, c.id)) continue;
      if (!holder || (s.lastSeenMs ?? 0) > (holder.lastSeenMs ?? 0)) {
        holder = s;
        stop = e;
      }
    }
    const since = stop?.stopTimeMs ?? c.createdMs;
    const age = formatAge(nowMs - since);
    const name = holder?.id.slice("active_indexers:".length);
    const when = holder?.lastSeenMs !== undefined ? ` at ${hhmm(holder.lastSeenMs)} UTC` : "";
    const why = !holder
      ? "no live process lists it as stopped"
      : holder.status === "stale"
        ? `it leaked when ${name} stopped answering${when}`
        : `it was left when ${name} exited${when}`;
    out.push({
      kind: "leaked_container",
      project: c.project,
      container_id: c.id,
      ...(holder?.status === "stale" ? { source: holder.id } : {}),
      expected: "listed in a live process's stopped_indexers, or held",
      actual: c.state,
      message: `no process holds this container (${c.id.slice(0, 12)}, ${c.state} for ${age}): ${why}`,
    });
  }
  return out;
}

/** Adds the leaked findings to a result (new project objects only where there are some). */
export function withLeaks(
  result: DivergenceResult,
  leaks: readonly Finding[],
  health: (
    p: DivergenceResult["projects"][number],
    findings: Finding[],
  ) => DivergenceResult["projects"][number]["health"],
): DivergenceResult {
  if (leaks.length === 0) return result;
  const byProject = new Map<string, Finding[]>();
  for (const f of leaks) byProject.set(f.project, [...(byProject.get(f.project) ?? []), f]);
  const kindCounts = { ...result.kindCounts };
  const projects = result.projects.map((p) => {
    // A port already in a section 2 port_conflict of the project is not said twice.
    const extra = (byProject.get(p.project) ?? []).filter(
      (f) =>
        f.kind !== "port_conflict" || !p.findings.some((g) => g.kind === f.kind && g.actual === f.actual),
    );
    if (extra.length === 0) return p;
    for (const f of extra) kindCounts[f.kind] = (kindCounts[f.kind] ?? 0) + 1;
    const findings = [...p.findings, ...extra];
    return { ...p, findings, health: health(p, findings) };
  });
  return { ...result, projects, kindCounts };
}

/** Phase 3's crash recovery fails while a container leaked by a crash stays leaked. */
export function withCrashLeaks(
  c: Criterion,
  leaked: readonly { project: string; container_id: string; source: string }[] | undefined,
): Criterion {
  if (!leaked || leaked.length === 0) return c;
  return {
    ...c,
    status: "not_met",
    evidence: {
      ...c.evidence,
      summary: `${c.evidence.summary}; ${leaked.length} container(s) leaked by a crash still leaked: ${leaked
        .map(
          (l) => `${l.project} ${l.container_id.slice(0, 12)} (${l.source.slice("active_indexers:".length)})`,
        )
        .join(", ")}`,
    },
  };
}
