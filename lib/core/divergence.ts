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
import type { Check, DivergenceInput, DivergenceResult, Finding, FindingKind, ProjectResult } from "./types";

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
