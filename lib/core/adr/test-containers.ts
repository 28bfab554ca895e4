// CONTRACT 7e: containers of the orchestrator's own tests (com.l9.test=true) make no checks,
// no findings and stay out of every rate, but are listed apart, never hidden. Also the
// selector's `key!=value` terms, applied after Docker's own label filter.
import type { Container, Source, SourceEntry } from "../types";
import type { ProcessAdrState } from "./types";

export const TEST_LABEL = "com.l9.test";

export const isTestContainer = (c: Pick<Container, "labels">) => c.labels[TEST_LABEL] === "true";

export type LabelTerm = { key: string; value: string };

/** Drops containers carrying any excluded key=value (`key!=value` selector terms). */
export function withoutExcluded(containers: Container[], exclude: readonly LabelTerm[]) {
  if (exclude.length === 0) return containers;
  return containers.filter((c) => !exclude.some((t) => c.labels[t.key] === t.value));
}

export type TestContainer = {
  project: string | null;
  container_id: string;
  name: string;
  state: string;
  labels: Record<string, string>;
  /** its project also has containers that are not tests (a real project named like a test?) */
  mixed: boolean;
};

export type TestSplit = { managed: Container[]; tests: TestContainer[] };

/**
 * Splits the selected containers. With no test container the list is returned as it is (the
 * divergence memo compares it by identity).
 */
export function splitTestContainers(containers: Container[]): TestSplit {
  if (!containers.some(isTestContainer)) return { managed: containers, tests: [] };
  const managed = containers.filter((c) => !isTestContainer(c));
  const realProjects = new Set(managed.map((c) => c.project));
  const tests = containers
    .filter(isTestContainer)
    .map((c) => ({
      project: c.project,
      container_id: c.id,
      name: c.name,
      state: c.state,
      labels: c.labels,
      mixed: c.project !== null && realProjects.has(c.project),
    }))
    .sort(
      (a, b) =>
        (a.project ?? "").localeCompare(b.project ?? "") || a.container_id.localeCompare(b.container_id),
    );
  return { managed, tests };
}

const NO_TERMS: readonly LabelTerm[] = Object.freeze([]);

/** Memoised by the input list's identity, so an unchanged list keeps giving the same array. */
export class TestSplitMemo {
  private last: { input: Container[]; exclude: readonly LabelTerm[]; out: TestSplit } | null = null;
  split(containers: Container[], exclude: readonly LabelTerm[] = NO_TERMS): TestSplit {
    if (this.last && this.last.input === containers && this.last.exclude === exclude) return this.last.out;
    const out = splitTestContainers(withoutExcluded(containers, exclude));
    this.last = { input: containers, exclude, out };
    return out;
  }
}

function withoutKeys<V>(m: ReadonlyMap<string, V>, drop: ReadonlySet<string>): ReadonlyMap<string, V> {
  if (![...m.keys()].some((k) => drop.has(k))) return m;
  return new Map([...m].filter(([k]) => !drop.has(k)));
}

function adrWithout(adr: ProcessAdrState, drop: ReadonlySet<string>): ProcessAdrState {
  const stopped = adr.stopped ? withoutKeys(adr.stopped, drop) : null;
  const allocated =
    adr.allocated && adr.allocated.some((a) => a.project !== null && drop.has(a.project))
      ? adr.allocated.filter((a) => a.project === null || !drop.has(a.project))
      : adr.allocated;
  return stopped === adr.stopped && allocated === adr.allocated ? adr : { stopped, allocated };
}

/**
 * The sources without what they hold, list as stopped or allocate for a project that only has
 * test containers: the branch code keeps its test projects in the same dicts, and they must
 * make no checks and no findings there either. Unchanged sources stay the same objects (the
 * divergence memo compares by identity); a project with real containers too is kept.
 */
export function withoutTestProjects(sources: Source[], tests: readonly TestContainer[]): Source[] {
  const drop = new Set(tests.flatMap((t) => (t.project !== null && !t.mixed ? [t.project] : [])));
  if (drop.size === 0) return sources;
  let changed = false;
  const out = sources.map((s) => {
    const entries = withoutKeys<SourceEntry>(s.entries, drop);
    const held = s.held ? withoutKeys<SourceEntry>(s.held, drop) : undefined;
    const adr = s.adr ? adrWithout(s.adr, drop) : undefined;
    if (entries === s.entries && held === s.held && adr === s.adr) return s;
    changed = true;
    return { ...s, entries, ...(held ? { held } : {}), ...(adr ? { adr } : {}) };
  });
  return changed ? out : sources;
}
