// The divergence engine: CONTRACT.md section 2's rules (lib/core/divergence-rules.ts) over a
// whole poll, snapshots in, checks, findings and health out, reusing each project's result
// across polls while its inputs are the same objects (lib/core/divergence-memo.ts). Pure.
import {
  checkOne,
  conflictFindings,
  healthOf,
  isRunning,
  labelFindings,
  labelsInformational,
  newestFirst,
  NO_FINDINGS,
  roundRate,
  short,
} from "./divergence-rules";
import {
  DivergenceMemo,
  inputParts,
  memoHit,
  portsOf,
  prepare,
  sameList,
  type MemoEntry,
} from "./divergence-memo";
import { decidedByUnion, liveProcesses, unionOrphanCheck } from "./adr/orphans";
import { leakedFindings, withLeaks } from "./adr/leaks";
import { allocationFindings } from "./adr/allocations";
import { projectEvents, withInFlight } from "./in-flight";
import type {
  Check,
  ContainerEvent,
  DivergenceInput,
  DivergenceResult,
  Finding,
  FindingKind,
  ProjectResult,
  Source,
} from "./types";

export { DivergenceMemo } from "./divergence-memo";
export { checkOne, healthOf, labelFindings, PHASE1_LABELS, roundRate } from "./divergence-rules";

export function computeDivergence(input: DivergenceInput, memo?: DivergenceMemo): DivergenceResult {
  const result = computeSection2(input, memo);
  // CONTRACT 7b/7c: leaks depend on every process's stopped list, apart from the per-project memo.
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
    return { projects, checks: 0, diverged: 0, inFlight: 0, divergenceRate: 0, kindCounts: {}, unassigned };
  }

  const { claims, conflicted } = portsOf(containers, okSources, memo);
  const byUnion = decidedByUnion(liveProcesses(okSources));
  const kindCounts: Partial<Record<FindingKind, number>> = {};
  let checkCount = 0;
  let divergedCount = 0;
  let inFlightCount = 0;
  const events = input.events;
  // The union's orphans (7a): a container created after the oldest live snapshot may be one
  // that process is starting, so the union's snapshot time is the oldest of them.
  const unionTaken = oldestTaken(okSources.filter((s) => s.kind === "active_indexers"));
  const projects: ProjectResult[] = [];
  let cache: Map<string, MemoEntry> | null = null;
  let generation = 0;
  if (memo) {
    const context = `${input.labelsRequiredSinceMs}|${okSources.map((s) => s.id).join("\u0000")}`;
    const withEvents = `${context}|${events ? "events" : "no events"}`;
    if (memo.context !== withEvents) memo.byProject.clear();
    memo.context = withEvents;
    generation = ++memo.generation;
    memo.hits = 0;
    cache = memo.byProject;
  }
  for (const project of sorted) {
    const all = byProject.get(project) ?? [];
    if (all.length > 1) all.sort(newestFirst);
    const ports = conflicted.get(project);
    const cached = cache?.get(project);
    if (cached && !ports && memoHit(cached, all, okSources, project, events)) {
      cached.seen = generation;
      memo!.hits += 1;
      checkCount += cached.checks;
      divergedCount += cached.diverged;
      inFlightCount += cached.inFlight;
      for (const f of cached.result.findings)
        if (!f.in_flight) kindCounts[f.kind] = (kindCounts[f.kind] ?? 0) + 1;
      projects.push(cached.result);
      continue;
    }
    const running = all.length === 1 ? (isRunning(all[0]!) ? all : []) : all.filter(isRunning);
    const checks: Check[] = [];
    let findings = NO_FINDINGS;
    const add = (f: Finding) => (findings === NO_FINDINGS ? (findings = [f]) : findings.push(f));
    let projectDiverged = 0;
    let projectInFlight = 0;
    let projectEvs: ContainerEvent[] | null = null;
    // Issue 25: a diverged check a Docker event newer than the source's snapshot explains.
    const judged = (check: Check, takenAtMs: number | null | undefined): Check => {
      if (!events || check.findings.length === 0 || takenAtMs == null) return check;
      projectEvs ??= projectEvents(events.get(project), all);
      return withInFlight(check, takenAtMs, projectEvs);
    };
    const counted = (check: Check) => {
      checks.push(check);
      if (check.findings.length === 0) return;
      if (check.in_flight) projectInFlight += 1;
      else projectDiverged += 1;
      for (const f of check.findings) add(f);
    };
    for (const s of okSources) {
      const entry = s.entries.get(project);
      // CONTRACT 7a: a process's orphans are decided once, against the union (below).
      if (byUnion && !entry && s.kind === "active_indexers") continue;
      const check = checkOne(s, project, entry, all, running);
      if (check) counted(judged(check, s.takenAtMs));
    }
    const orphan = byUnion ? unionOrphanCheck(project, running, okSources) : null;
    if (orphan) counted(judged(orphan, unionTaken));
    checkCount += checks.length;
    divergedCount += projectDiverged;
    inFlightCount += projectInFlight;
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
    for (const f of findings) if (!f.in_flight) kindCounts[f.kind] = (kindCounts[f.kind] ?? 0) + 1;
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
        inFlight: projectInFlight,
        // Issue 25: a diverged check's in-flight status depends on the project's events and the
        // sources' snapshot times; a project without one depends on neither.
        flight:
          projectDiverged + projectInFlight > 0
            ? { events: events?.get(project), taken: okSources.map((s) => s.takenAtMs) }
            : null,
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
    inFlight: inFlightCount,
    divergenceRate: roundRate(divergedCount, checkCount),
    kindCounts,
    unassigned,
  };
}

/** The oldest snapshot time of the live processes, or null when one of them has none. */
function oldestTaken(processes: readonly Source[]): number | null {
  let oldest: number | null = null;
  for (const s of processes) {
    if (s.takenAtMs == null) return null;
    if (oldest === null || s.takenAtMs < oldest) oldest = s.takenAtMs;
  }
  return oldest;
}
