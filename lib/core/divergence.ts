// The divergence rules of CONTRACT.md section 2, as one pure function: snapshots in, checks,
// findings and health out. No I/O, no clock.
import { projectHash } from "./paths";
import { parsePort } from "./ports";
import { hashVerdict, truncatedHashMessage } from "./adr/labels";
import { decidedByUnion, liveProcesses, unionOrphanCheck } from "./adr/orphans";
import { leakedFindings, withLeaks } from "./adr/leaks";
import { allocationFindings } from "./adr/allocations";
import {
  ADR_KINDS,
  LABEL_KINDS,
  type Check,
  type Container,
  type DivergenceInput,
  type DivergenceResult,
  type Finding,
  type FindingKind,
  type Health,
  type ProjectResult,
  type Source,
  type SourceEntry,
  type SourceValue,
} from "./types";

export const PHASE1_LABELS = ["com.l9.project_hash", "com.l9.port", "com.l9.project_path"] as const;

const short = (id: string) => id.slice(0, 12);
const isRunning = (c: Container) => c.state === "running";
const newestFirst = (a: Container, b: Container) => b.createdMs - a.createdMs || (a.id < b.id ? -1 : 1);
const WARNING_KIND_SET = new Set<FindingKind>([...LABEL_KINDS, ...ADR_KINDS]);

export function roundRate(diverged: number, checks: number): number {
  return checks === 0 ? 0 : Math.round((diverged / checks) * 10000) / 10000;
}

// Shared empty lists: most checks and projects find nothing, and at 10,000 projects one fresh
// array each is most of the core's garbage. Frozen, so nobody can push into them by mistake.
const NO_FINDINGS = Object.freeze([]) as unknown as Finding[];

/** One (source, project) check. `running` is newest first. */
export function checkOne(
  source: Source,
  project: string,
  entry: SourceEntry | undefined,
  all: Container[],
  running: Container[],
): Check | null {
  if (!entry && running.length === 0) return null;
  let findings = NO_FINDINGS;
  if (!entry) {
    const c = running[0]!;
    const why = source.known?.has(project)
      ? `${source.id} knows ${project} under "projects" but keeps no container_ports entry for it`
      : `${source.id} has no entry for it (orphan)`;
    findings = [
      {
        project,
        source: source.id,
        kind: "missing_in_source",
        container_id: c.id,
        expected: null,
        actual: c.id,
        message: `Docker runs ${short(c.id)} for ${project}; ${why}`,
      },
    ];
  } else if (all.length === 0) {
    findings = [
      {
        project,
        source: source.id,
        kind: "missing_in_docker",
        expected: entry.containerId ?? entry.port,
        actual: null,
        message: `${source.id} has ${project}${describe(entry)}; Docker has no container for it`,
      },
    ];
  } else if (running.length === 0) {
    const states = [...new Set(all.map((c) => c.state))].join(", ");
    findings = [
      {
        project,
        source: source.id,
        kind: "not_running",
        container_id: all[0]!.id,
        expected: "running",
        actual: states,
        message: `${source.id} has ${project}; Docker's container${all.length > 1 ? "s are" : " is"} ${states}, none running`,
      },
    ];
  } else {
    // Docker ids are lower-case hex; the source's may not be.
    const sid = entry.containerId === null ? null : entry.containerId.toLowerCase();
    let named: Container | undefined;
    if (sid !== null)
      for (const c of running)
        if (c.id.startsWith(sid)) {
          named = c;
          break;
        }
    if (sid !== null && !named) {
      findings = [
        {
          project,
          source: source.id,
          kind: "container_id_mismatch",
          container_id: running[0]!.id,
          expected: running.map((c) => short(c.id)).join(", "),
          actual: entry.containerId,
          message: `${source.id} names container ${entry.containerId} for ${project}; Docker runs ${running.map((c) => short(c.id)).join(", ")}`,
        },
      ];
    }
    const compared = named ?? running[0]!;
    if (entry.port !== null && compared.port !== null && entry.port !== compared.port) {
      const f: Finding = {
        project,
        source: source.id,
        kind: "port_mismatch",
        container_id: compared.id,
        expected: compared.port,
        actual: entry.port,
        message: `${source.id} has port ${entry.port} for ${project}; container ${short(compared.id)} has ${compared.port}`,
      };
      findings = findings === NO_FINDINGS ? [f] : [...findings, f];
    }
  }
  const disagree = entry?.copies ? copiesFinding(source, project, entry.copies) : null;
  if (disagree) findings = findings === NO_FINDINGS ? [disagree] : [...findings, disagree];
  return {
    source: source.id,
    project,
    status: findings.length > 0 ? "diverged" : "consistent",
    findings,
  };
}

/** CONTRACT 6a: the dicts of one process that hold a project disagree on its id or port. */
function copiesFinding(
  source: Source,
  project: string,
  copies: NonNullable<SourceEntry["copies"]>,
): Finding | null {
  if (copies.length < 2) return null;
  const value = (c: (typeof copies)[number]) => `${c.containerId ?? "-"}:${c.port ?? "-"}`;
  const first = value(copies[0]!);
  if (copies.every((c) => value(c) === first)) return null;
  const each = copies.map((c) => `${c.holder} has ${describe(c).slice(2, -1) || "no id or port"}`);
  return {
    project,
    source: source.id,
    kind: "legacy_copies_disagree",
    expected: first,
    actual: copies.map(value).join(" / "),
    message: `${copies.length} orchestrators in ${source.id} hold ${project} differently: ${each.join("; ")}`,
  };
}

function describe(entry: SourceValue): string {
  const parts = [
    entry.containerId ? `container ${entry.containerId}` : null,
    entry.port !== null ? `port ${entry.port}` : null,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/**
 * Label findings of one running container. `informational`: they do not change health
 * (CONTRACT 6e: the container predates Phase 1's start, or Phase 1 has not started).
 */
export function labelFindings(c: Container, project: string, informational = false): Finding[] {
  let out = NO_FINDINGS;
  const hash = c.labels["com.l9.project_hash"];
  const projectPath = c.labels["com.l9.project_path"];
  const portLabel = c.labels["com.l9.port"];
  // The common case, all three labels right, allocates nothing.
  if (
    hash &&
    projectPath &&
    portLabel &&
    hash === projectHash(projectPath) &&
    (c.boundPort === null || parsePort(portLabel) === c.boundPort)
  )
    return out;
  out = [];
  const missing = PHASE1_LABELS.filter((k) => !c.labels[k]);
  if (missing.length > 0) {
    const present = PHASE1_LABELS.filter((k) => c.labels[k]);
    out.push({
      kind: "labels_missing",
      project,
      container_id: c.id,
      expected: PHASE1_LABELS.join(", "),
      actual: present.length ? present.join(", ") : null,
      message: `container ${short(c.id)} lacks ${missing.join(", ")}`,
    });
  }
  if (hash && projectPath) {
    const want = projectHash(projectPath);
    const verdict = hashVerdict(hash, projectPath);
    if (verdict === "label_hash_truncated") {
      out.push({
        kind: "label_hash_truncated",
        project,
        container_id: c.id,
        expected: want,
        actual: hash,
        message: truncatedHashMessage(short(c.id), hash, projectPath),
      });
    } else if (hash !== want) {
      out.push({
        kind: "label_hash_invalid",
        project,
        container_id: c.id,
        expected: want,
        actual: hash,
        message: `container ${short(c.id)}: com.l9.project_hash is not sha256 of ${projectPath}`,
      });
    }
  }
  if (portLabel && c.boundPort !== null && parsePort(portLabel) !== c.boundPort) {
    out.push({
      kind: "label_port_mismatch",
      project,
      container_id: c.id,
      expected: c.boundPort,
      actual: portLabel,
      message: `container ${short(c.id)}: com.l9.port is ${portLabel}, bound port is ${c.boundPort}`,
    });
  }
  return informational ? out.map((f) => ({ ...f, informational: true as const })) : out;
}

/** Who claims a port for a project: a running container, or a source's entry. */
type Claim = { project: string; container: Container | null; source: string | null };
const claimant = (c: Claim) => (c.container ? `container ${short(c.container.id)}` : c.source!);

/**
 * Claims on the ports that more than one project claims, by port. Two passes: the first keeps
 * one project name per port and allocates nothing else; only a shared port's claims are built.
 */
function portClaims(containers: readonly Container[], sources: readonly Source[]): Map<number, Claim[]> {
  const owner = new Map<number, string>();
  const shared = new Set<number>();
  const see = (port: number, project: string) => {
    const o = owner.get(port);
    if (o === undefined) owner.set(port, project);
    else if (o !== project) shared.add(port);
  };
  for (const c of containers)
    if (c.project !== null && c.port !== null && isRunning(c)) see(c.port, c.project);
  for (const s of sources) for (const [project, e] of s.entries) if (e.port !== null) see(e.port, project);
  const claims = new Map<number, Claim[]>();
  if (shared.size === 0) return claims;
  const add = (port: number, claim: Claim) => {
    if (!shared.has(port)) return;
    const list = claims.get(port);
    if (list) list.push(claim);
    else claims.set(port, [claim]);
  };
  for (const c of containers)
    if (c.project !== null && isRunning(c) && c.port !== null)
      add(c.port, { project: c.project, container: c, source: null });
  for (const s of sources)
    for (const [project, e] of s.entries)
      if (e.port !== null) add(e.port, { project, container: null, source: s.id });
  return claims;
}

/** port claims indexed by project, so each project looks only at its own ports */
function portsByProject(claims: Map<number, Claim[]>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [port, list] of claims) {
    for (const c of list) {
      const ports = out.get(c.project);
      if (!ports) out.set(c.project, [port]);
      else if (!ports.includes(port)) ports.push(port);
    }
  }
  return out;
}

function conflictFindings(project: string, ports: number[], claims: Map<number, Claim[]>): Finding[] {
  const out: Finding[] = [];
  for (const port of ports) {
    const list = claims.get(port) ?? [];
    const others = list.filter((c) => c.project !== project);
    if (others.length === 0) continue;
    const who = [...new Set(others.map((o) => `${o.project} (${claimant(o)})`))].join(", ");
    out.push({
      kind: "port_conflict",
      project,
      expected: null,
      actual: port,
      message: `port ${port} of ${project} is also claimed for ${who}`,
    });
  }
  return out.sort((a, b) => Number(a.actual) - Number(b.actual));
}

function labelsInformational(c: Container, sinceMs: number | null | undefined): boolean {
  if (sinceMs === undefined) return false;
  return sinceMs === null || c.createdMs < sinceMs;
}

export function healthOf(checks: Check[], findings: Finding[]): Health {
  if (findings.length === 0) return "consistent";
  if (
    checks.some((c) => c.status === "diverged") ||
    findings.some((f) => f.kind === "duplicate_containers" || f.kind === "port_conflict")
  )
    return "diverged";
  if (findings.some((f) => WARNING_KIND_SET.has(f.kind) && !f.informational)) return "warning";
  return "consistent";
}

/**
 * What one project's result was computed from, kept by identity: the project's containers
 * (newest first) and, per ok source, its entry and whether it knows the project.
 */
type MemoEntry = {
  containers: readonly Container[];
  entries: readonly (SourceEntry | undefined)[];
  known: readonly boolean[];
  result: ProjectResult;
  checks: number;
  diverged: number;
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

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function memoHit(
  m: MemoEntry,
  all: readonly Container[],
  sources: readonly Source[],
  project: string,
): boolean {
  if (!sameList(m.containers, all)) return false;
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i]!;
    if (m.entries[i] !== s.entries.get(project)) return false;
    if (m.known[i] !== (s.known?.has(project) ?? false)) return false;
  }
  return true;
}

/** The containers grouped by project, the sorted names and the port claims of one input. */
type Prepared = {
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
function releasesUnsharedPort(before: Container, after: Container, prev: Prepared): boolean {
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
function prepare(
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

function portsOf(containers: readonly Container[], okSources: readonly Source[], memo?: DivergenceMemo) {
  const prepared = memo?.prepared;
  if (prepared?.ports) return prepared.ports;
  const claims = portClaims(containers, okSources);
  const ports = { claims, conflicted: portsByProject(claims) };
  if (prepared) prepared.ports = ports;
  return ports;
}

/** The sorted project names, reused when the set of names is the one sorted last time. */
function sortedNames(names: Set<string>, memo: DivergenceMemo | undefined): string[] {
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
function inputParts(input: DivergenceInput): unknown[] {
  const parts: unknown[] = [
    input.labelsRequiredSinceMs,
    input.docker.reachable,
    input.docker.reachable ? input.docker.containers : input.docker.lastKnown,
  ];
  // A source that is not ok is not read (its entries may be a fresh empty map every poll).
  for (const s of input.sources)
    parts.push(s.id, s.status, s.status === "ok" ? s.entries : null, s.status === "ok" ? s.known : null);
  return parts;
}

export function computeDivergence(input: DivergenceInput, memo?: DivergenceMemo): DivergenceResult {
  const result = computeSection2(input, memo);
  // CONTRACT 7b: leaks depend on every process's stopped list, apart from the per-project memo.
  if (!input.docker.reachable || input.nowMs === undefined) return result;
  const leaks = [
    ...leakedFindings(input.docker.containers, input.sources, input.nowMs),
    ...allocationFindings(input.docker.containers, input.sources, input.nowMs),
  ];
  return withLeaks(result, leaks, (p, findings) => healthOf(p.checks, findings));
}

function computeSection2(input: DivergenceInput, memo?: DivergenceMemo): DivergenceResult {
  if (!memo) return compute(input);
  const parts = inputParts(input);
  if (memo.last && sameList(memo.last.parts, parts)) {
    memo.hits = memo.last.result.projects.length;
    return memo.last.result;
  }
  const result = compute(input, memo);
  memo.last = { parts, result };
  return result;
}

function compute(input: DivergenceInput, memo?: DivergenceMemo): DivergenceResult {
  const okSources = input.sources.filter((s) => s.status === "ok");
  const containers = input.docker.reachable ? input.docker.containers : (input.docker.lastKnown ?? []);
  const { byProject, unassigned, sorted } = prepare(containers, okSources, memo);

  if (!input.docker.reachable) {
    const projects: ProjectResult[] = sorted.map((project) => ({
      project,
      health: "unknown",
      containers: (byProject.get(project) ?? []).slice().sort(newestFirst),
      checks: [],
      findings: [],
    }));
    return { projects, checks: 0, diverged: 0, divergenceRate: 0, kindCounts: {}, unassigned };
  }

  const { claims, conflicted } = portsOf(containers, okSources, memo);
  const byUnion = decidedByUnion(liveProcesses(okSources));
  const kindCounts: Partial<Record<FindingKind, number>> = {};
  let checkCount = 0;
  let divergedCount = 0;
  const projects: ProjectResult[] = [];
  let cache: Map<string, MemoEntry> | null = null;
  let generation = 0;
  if (memo) {
    const context = `${input.labelsRequiredSinceMs}|${okSources.map((s) => s.id).join("\u0000")}`;
    if (memo.context !== context) memo.byProject.clear();
    memo.context = context;
    generation = ++memo.generation;
    memo.hits = 0;
    cache = memo.byProject;
  }
  for (const project of sorted) {
    const all = byProject.get(project) ?? [];
    if (all.length > 1) all.sort(newestFirst);
    const ports = conflicted.get(project);
    const cached = cache?.get(project);
    if (cached && !ports && memoHit(cached, all, okSources, project)) {
      cached.seen = generation;
      memo!.hits += 1;
      checkCount += cached.checks;
      divergedCount += cached.diverged;
      for (const f of cached.result.findings) kindCounts[f.kind] = (kindCounts[f.kind] ?? 0) + 1;
      projects.push(cached.result);
      continue;
    }
    const running = all.length === 1 ? (isRunning(all[0]!) ? all : []) : all.filter(isRunning);
    const checks: Check[] = [];
    let findings = NO_FINDINGS;
    const add = (f: Finding) => (findings === NO_FINDINGS ? (findings = [f]) : findings.push(f));
    let projectDiverged = 0;
    for (const s of okSources) {
      const entry = s.entries.get(project);
      // CONTRACT 7a: a process's orphans are decided once, against the union (below).
      if (byUnion && !entry && s.kind === "active_indexers") continue;
      const check = checkOne(s, project, entry, all, running);
      if (!check) continue;
      checks.push(check);
      if (check.findings.length > 0) {
        projectDiverged += 1;
        for (const f of check.findings) add(f);
      }
    }
    const orphan = byUnion ? unionOrphanCheck(project, running, okSources) : null;
    if (orphan) {
      checks.push(orphan);
      projectDiverged += 1;
      for (const f of orphan.findings) add(f);
    }
    checkCount += checks.length;
    divergedCount += projectDiverged;
    if (running.length > 1) {
      add({
        kind: "duplicate_containers",
        project,
        container_id: running[0]!.id,
        expected: 1,
        actual: running.length,
        message: `${running.length} running containers for ${project}: ${running.map((c) => short(c.id)).join(", ")}`,
      });
    }
    if (ports) for (const f of conflictFindings(project, ports, claims)) add(f);
    for (const c of running) {
      for (const f of labelFindings(c, project, labelsInformational(c, input.labelsRequiredSinceMs))) add(f);
    }
    for (const f of findings) kindCounts[f.kind] = (kindCounts[f.kind] ?? 0) + 1;
    const result: ProjectResult = {
      project,
      health: healthOf(checks, findings),
      containers: all,
      checks,
      findings,
    };
    projects.push(result);
    if (cache && !ports) {
      cache.set(project, {
        containers: all,
        entries: okSources.map((s) => s.entries.get(project)),
        known: okSources.map((s) => s.known?.has(project) ?? false),
        result,
        checks: checks.length,
        diverged: projectDiverged,
        seen: generation,
      });
    } else cache?.delete(project);
  }
  if (cache && cache.size > projects.length)
    for (const [project, m] of cache) if (m.seen !== generation) cache.delete(project);
  return {
    projects,
    checks: checkCount,
    diverged: divergedCount,
    divergenceRate: roundRate(divergedCount, checkCount),
    kindCounts,
    unassigned,
  };
}
