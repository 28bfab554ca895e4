// The reuse engine of the divergence core: what a project's last result was computed from,
// kept by identity, so an unchanged project (or a wholly unchanged poll) costs comparisons.
import { isRunning, portClaims, portsByProject, type Claim } from "./divergence-rules";
import type {
  Container,
  ContainerEvent,
  DivergenceInput,
  DivergenceResult,
  ProjectResult,
  Source,
  SourceEntry,
} from "./types";

/**
 * What one project's result was computed from, kept by identity: the project's containers
 * (newest first) and, per ok source, its entry and whether it knows the project.
 */
export type MemoEntry = {
  containers: readonly Container[];
  entries: readonly (SourceEntry | undefined)[];
  known: readonly boolean[];
  result: ProjectResult;
  checks: number;
  diverged: number;
  inFlight: number;
  /**
   * Issue 25: with a diverged check (in flight or not), what its in-flight status was decided
   * from: the project's events (by identity) and each ok source's snapshot time. Null: none.
   */
  flight: {
    events: readonly ContainerEvent[] | undefined;
    taken: readonly (number | null | undefined)[];
  } | null;
  seen: number;
};

/**
 * Reuse across polls (most polls change nothing). A project's result depends only on its own
 * containers, each source's entry for it, and the sources and Phase 1 start in force — except
 * a port conflict, which depends on other projects, so a project in one is always recomputed.
 * Inputs are compared by identity: the Docker adapter and the sources keep an unchanged
 * container or entry as the same object, so an unchanged project costs a few comparisons.
 * When every part of the input is the object it was last time (the containers list, each
 * source's entries map and known set), the whole last result is returned. So inputs are never
 * changed in place: a change is a new object. Results are shared between polls: read-only.
 */
export class DivergenceMemo {
  readonly byProject = new Map<string, MemoEntry>();
  /** The last input's grouping (see prepare). */
  prepared: Prepared | null = null;
  /** The last input's parts and its result: a poll where nothing changed returns it again. */
  last: { parts: readonly unknown[]; result: DivergenceResult } | null = null;
  context = "";
  sortedFrom: ReadonlySet<string> | null = null;
  sorted: string[] = [];
  generation = 0;
  hits = 0;
}

export function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function memoHit(
  m: MemoEntry,
  all: readonly Container[],
  sources: readonly Source[],
  project: string,
  events?: ReadonlyMap<string, readonly ContainerEvent[]>,
): boolean {
  if (!sameList(m.containers, all)) return false;
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i]!;
    if (m.entries[i] !== s.entries.get(project)) return false;
    if (m.known[i] !== (s.known?.has(project) ?? false)) return false;
  }
  if (m.flight) {
    if (m.flight.events !== events?.get(project)) return false;
    for (let i = 0; i < sources.length; i++) if (m.flight.taken[i] !== sources[i]!.takenAtMs) return false;
  }
  return true;
}

/** The containers grouped by project, the sorted names and the port claims of one input. */
export type Prepared = {
  containers: readonly Container[];
  sourceMaps: readonly unknown[];
  byProject: Map<string, Container[]>;
  unassigned: Container[];
  sorted: string[];
  ports: { claims: Map<number, Claim[]>; conflicted: Map<string, number[]> } | null;
};

/** At most this many changed containers are patched into the last grouping; more regroup. */
const PATCH_MAX = 64;

/**
 * A container that stops claiming a port nobody else claimed (a kill, a stop) leaves the
 * shared ports as they were: the last claims stay right.
 */
export function releasesUnsharedPort(before: Container, after: Container, prev: Prepared): boolean {
  const claimed = isRunning(before) && before.port !== null;
  const claims = isRunning(after) && after.port !== null;
  return claimed && !claims && prev.ports !== null && !prev.ports.claims.has(before.port!);
}

const claimOf = (c: Container) => `${c.id}|${c.project}|${c.port}|${isRunning(c)}`;

/**
 * Groups containers by project and sorts the names. With a memo and the same sources, a list
 * that differs from the last in a few containers of the same projects patches the last
 * grouping (only those projects get new arrays: the old ones belong to earlier results).
 */
export function prepare(
  containers: readonly Container[],
  okSources: readonly Source[],
  memo?: DivergenceMemo,
): Prepared {
  const sourceMaps = okSources.flatMap((s) => [s.id, s.entries, s.known]);
  const prev = memo?.prepared;
  if (prev && prev.containers.length === containers.length && sameList(prev.sourceMaps, sourceMaps)) {
    const changed: number[] = [];
    for (let i = 0; i < containers.length && changed.length <= PATCH_MAX; i++)
      if (containers[i] !== prev.containers[i]) changed.push(i);
    const patchable =
      changed.length <= PATCH_MAX &&
      changed.every(
        (i) => containers[i]!.project !== null && containers[i]!.project === prev.containers[i]!.project,
      );
    if (patchable) {
      let claimsSame = true;
      for (const i of changed) {
        const before = prev.containers[i]!;
        const after = containers[i]!;
        if (claimOf(before) !== claimOf(after) && !releasesUnsharedPort(before, after, prev))
          claimsSame = false;
        const project = after.project!;
        const list = (prev.byProject.get(project) ?? []).map((c) => (c === before ? after : c));
        prev.byProject.set(project, list);
      }
      const next: Prepared = { ...prev, containers, ports: claimsSame ? prev.ports : null };
      memo!.prepared = next;
      return next;
    }
  }
  const byProject = new Map<string, Container[]>();
  const unassigned: Container[] = [];
  for (const c of containers) {
    if (c.project === null) unassigned.push(c);
    else {
      const list = byProject.get(c.project);
      if (list) list.push(c);
      else byProject.set(c.project, [c]);
    }
  }
  const names = new Set<string>(byProject.keys());
  for (const s of okSources) for (const p of s.entries.keys()) names.add(p);
  const sorted = sortedNames(names, memo);
  const next: Prepared = { containers, sourceMaps, byProject, unassigned, sorted, ports: null };
  if (memo) memo.prepared = next;
  return next;
}

export function portsOf(
  containers: readonly Container[],
  okSources: readonly Source[],
  memo?: DivergenceMemo,
) {
  const prepared = memo?.prepared;
  if (prepared?.ports) return prepared.ports;
  const claims = portClaims(containers, okSources);
  const ports = { claims, conflicted: portsByProject(claims) };
  if (prepared) prepared.ports = ports;
  return ports;
}

/** The sorted project names, reused when the set of names is the one sorted last time. */
export function sortedNames(names: Set<string>, memo: DivergenceMemo | undefined): string[] {
  if (!memo) return [...names].sort();
  const prev = memo.sortedFrom;
  if (prev && prev.size === names.size) {
    let same = true;
    for (const n of names)
      if (!prev.has(n)) {
        same = false;
        break;
      }
    if (same) return memo.sorted;
  }
  memo.sortedFrom = names;
  memo.sorted = [...names].sort();
  return memo.sorted;
}

/** Everything a result depends on, by identity (see DivergenceMemo). */
export function inputParts(input: DivergenceInput): unknown[] {
  const parts: unknown[] = [
    input.labelsRequiredSinceMs,
    input.events,
    input.docker.reachable,
    input.docker.reachable ? input.docker.containers : input.docker.lastKnown,
  ];
  // A source that is not ok is not read (its entries may be a fresh empty map every poll).
  for (const s of input.sources)
    parts.push(
      s.id,
      s.status,
      s.status === "ok" ? s.entries : null,
      s.status === "ok" ? s.known : null,
      s.status === "ok" ? s.takenAtMs : null,
    );
  return parts;
}
