// Docker as the stored history saw it at a time t: what a query by com.l9.project would have
// answered, and which projects the legacy sources held at a poll. Pure.
import { UNION_SOURCE } from "../adr/orphans";
import type { FallbackReason, HistContainer, HostHistory } from "./types";

// A container exists from its creation (the collector may first see it later, e.g. after reads).
export const alive = (c: HistContainer, t: number) =>
  Math.min(c.createdMs, c.firstSeenMs) <= t && (c.removedMs === null || c.removedMs > t);
export const runningAt = (c: HistContainer, t: number) =>
  alive(c, t) && (c.stoppedMs === null || c.stoppedMs > t);

export type DockerView = {
  byProject: Map<string, HistContainer[]>;
  unlabelled: HistContainer[];
  outages: HostHistory["outages"];
};

export function dockerView(h: Pick<HostHistory, "containers" | "outages">): DockerView {
  const byProject = new Map<string, HistContainer[]>();
  const unlabelled: HistContainer[] = [];
  for (const c of h.containers) {
    const p = c.labels["com.l9.project"];
    if (!p) unlabelled.push(c);
    else byProject.set(p, [...(byProject.get(p) ?? []), c]);
  }
  return { byProject, unlabelled, outages: h.outages };
}

export const inOutage = (v: DockerView, t: number) => v.outages.some((o) => o.fromMs <= t && t < o.toMs);

// The orchestrator names its containers indexer-<project>[-...]: one without the project label
// is there, but a label query does not find it.
const namedFor = (c: HistContainer, project: string) =>
  c.name === `indexer-${project}` || c.name.startsWith(`indexer-${project}-`);

/** A Docker query by com.l9.project at t, in the ADR's Phase 2 read path. */
export function dockerLookup(
  v: DockerView,
  project: string,
  t: number,
  reachable: boolean,
): { ok: true; container: HistContainer } | { ok: false; reason: FallbackReason } {
  if (!reachable) return { ok: false, reason: "docker_unreachable" };
  const all = (v.byProject.get(project) ?? []).filter((c) => alive(c, t));
  if (all.length === 0)
    return {
      ok: false,
      reason: v.unlabelled.some((c) => alive(c, t) && namedFor(c, project))
        ? "label_missing"
        : "no_container",
    };
  const running = all.filter((c) => runningAt(c, t));
  if (running.length === 0) return { ok: false, reason: "not_running" };
  if (running.length > 1) return { ok: false, reason: "duplicate" };
  const [only] = running as [HistContainer];
  return only.port === null ? { ok: false, reason: "no_port" } : { ok: true, container: only };
}

export const isLegacySource = (s: string) => s !== "" && s !== UNION_SOURCE;

type NotHeld = HostHistory["notHeld"];

/** The projects some legacy source (registry, an orchestrator's dict) held at a poll. */
export function legacyHeld(
  h: Pick<HostHistory, "runs" | "notHeld">,
): (seq: number, t: number) => Set<string> {
  const runs = h.runs.filter((r) => isLegacySource(r.source));
  const orphans = new Map<string, NotHeld>();
  for (const e of h.notHeld) {
    const k = JSON.stringify([e.project, e.source]);
    orphans.set(k, [...(orphans.get(k) ?? []), e]);
  }
  return (seq, t) => {
    const out = new Set<string>();
    for (const r of runs) {
      if (r.startSeq > seq || (r.endSeq !== null && r.endSeq < seq) || out.has(r.project)) continue;
      // A check run also covers Docker's orphans: the source did not hold those.
      const eps = orphans.get(JSON.stringify([r.project, r.source])) ?? [];
      if (!eps.some((e) => e.fromMs <= t && (e.toMs === null || e.toMs > t))) out.add(r.project);
    }
    return out;
  };
}
