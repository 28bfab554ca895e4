// Phase 2 predicted (Docker first, the dict as fallback): for every project a legacy source
// held at each replayed poll, and for every read event, would a Docker query by
// com.l9.project have found one running container with a port? Pure.
import { rate4, percent } from "../format";
import { FALLBACK_TARGET, MIN_CHECKS, MIN_READS, type CriterionStatus } from "../phase-types";
import { dockerLookup, dockerView, inOutage, legacyHeld } from "./docker-view";
import { MAX_LISTED, type FallbackReason, type HostHistory, type Prediction } from "./types";

export type Phase2Counts = {
  /** (poll, project) pairs a legacy source held, and those a Docker query would have found */
  lookups: number;
  found: number;
  reads: number;
  readsFound: number;
  /** [project, reason] -> polls and reads that would fall back */
  fallbacks: Map<string, { project: string; reason: FallbackReason; polls: number; reads: number }>;
};

export function countPhase2(hosts: readonly HostHistory[]): Phase2Counts {
  const out: Phase2Counts = { lookups: 0, found: 0, reads: 0, readsFound: 0, fallbacks: new Map() };
  const miss = (project: string, reason: FallbackReason, read: boolean) => {
    const k = JSON.stringify([project, reason]);
    const e = out.fallbacks.get(k) ?? { project, reason, polls: 0, reads: 0 };
    if (read) e.reads += 1;
    else e.polls += 1;
    out.fallbacks.set(k, e);
  };
  for (const h of hosts) {
    const v = dockerView(h);
    const held = legacyHeld(h);
    for (const p of h.polls)
      for (const project of held(p.seq, p.atMs)) {
        out.lookups += 1;
        const r = dockerLookup(v, project, p.atMs, p.reachable);
        if (r.ok) out.found += 1;
        else miss(project, r.reason, false);
      }
    for (const e of h.reads) {
      out.reads += 1;
      const r = dockerLookup(v, e.project, e.atMs, !inOutage(v, e.atMs));
      if (r.ok) out.readsFound += 1;
      else miss(e.project, r.reason, true);
    }
  }
  return out;
}

/** Weighted by reads when there are enough of them, else by the legacy sources' projects. */
export function phase2Prediction(hosts: readonly HostHistory[], bound: string): Prediction {
  const c = countPhase2(hosts);
  const byReads = c.reads >= MIN_READS;
  const [n, found] = byReads ? [c.reads, c.readsFound] : [c.lookups, c.found];
  const enough = byReads || c.lookups >= MIN_CHECKS;
  const basis = byReads
    ? `${c.reads} read events replayed against Docker's containers at their time`
    : `${c.lookups} lookups of the projects a legacy source held at ${sumPolls(hosts)} polls` +
      (c.reads ? ` (${c.reads} read events, fewer than ${MIN_READS})` : "");
  const other = byReads && c.lookups ? `; by the legacy sources' projects: ${share(c.found, c.lookups)}` : "";
  const rate = (id: string, title: string, target: string, x: number | null, ok: boolean, limit: number) => ({
    id,
    title,
    target,
    target_value: limit,
    unit: "ratio" as const,
    actual: x === null ? null : rate4(x),
    status: (!enough || x === null ? "insufficient_data" : ok ? "met" : "not_met") as CriterionStatus,
    predicted: true as const,
    evidence: {
      summary: `predicted: ${x === null ? "no lookups" : percent(x)} from ${basis}${other}`,
      ...(enough ? {} : { minimum: `at least ${MIN_READS} read events or ${MIN_CHECKS} lookups` }),
    },
  });
  const success = n ? found / n : null;
  const fallback = n ? (n - found) / n : null;
  const listed = [...c.fallbacks.values()].sort(
    (a, b) =>
      (byReads ? b.reads - a.reads : 0) ||
      b.polls - a.polls ||
      b.reads - a.reads ||
      (a.project < b.project ? -1 : 1),
  );
  return {
    from_polls: sumPolls(hosts),
    from_reads: c.reads,
    bound,
    criteria: [
      rate(
        "docker_success_rate",
        "Docker queries succeed",
        "> 95% of reads",
        success,
        (success ?? 0) > 0.95,
        0.95,
      ),
      rate(
        "fallback_rate",
        "Fallback to the dict is rare",
        "< 5% of reads",
        fallback,
        (fallback ?? 1) < FALLBACK_TARGET,
        FALLBACK_TARGET,
      ),
    ],
    fallback_projects: listed.slice(0, MAX_LISTED),
    fallback_projects_total: new Set(listed.map((f) => f.project)).size,
  };
}

const share = (k: number, n: number) => percent(k / n);
export const sumPolls = (hosts: readonly HostHistory[]) => hosts.reduce((s, h) => s + h.polls.length, 0);
