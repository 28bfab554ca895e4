// Phase 3 predicted (dicts rebuilt from Docker): at each replayed poll, the dict a rebuild from
// the running containers' labels would hold (project -> id, com.l9.port), checked against what
// Docker serves and what the legacy sources held. Pure.
import { hashVerdict } from "../adr/labels";
import { conflictsCriterion, rateCriterion } from "../criteria";
import { parsePort } from "../ports";
import type { Criterion, WindowCounts } from "../phase-types";
import { dockerView, legacyHeld, runningAt } from "./docker-view";
import { sumPolls } from "./phase2";
import {
  MAX_LISTED,
  type HistContainer,
  type HostHistory,
  type PredictedCriterion,
  type Prediction,
} from "./types";

type Listed = { id: string; project: string; detail: string };

export type Phase3Counts = {
  polls: number;
  checks: number;
  diverged: number;
  /** (poll, port) pairs claimed for two projects by the rebuilt dict and running containers */
  conflicts: number;
  conflictPorts: Set<number>;
  legacyDropped: number;
  rebuiltNew: number;
  portsLost: Map<string, Listed>;
  labelPortWrong: Map<string, Listed>;
  hashUnfound: Map<string, Listed>;
};

function hashProblem(c: HistContainer): string | null {
  const hash = c.labels["com.l9.project_hash"];
  const path = c.labels["com.l9.project_path"];
  if (!hash || !path) return "no com.l9.project_hash and com.l9.project_path to look up";
  const v = hashVerdict(hash, path);
  // CONTRACT 7d: a 12-hex prefix is not the full hash a lookup asks for.
  return v === "ok"
    ? null
    : v === "label_hash_truncated"
      ? `cut to ${hash.length} hex characters`
      : "wrong hash";
}

export function countPhase3(hosts: readonly HostHistory[]): Phase3Counts {
  const out: Phase3Counts = {
    polls: 0,
    checks: 0,
    diverged: 0,
    conflicts: 0,
    conflictPorts: new Set(),
    legacyDropped: 0,
    rebuiltNew: 0,
    portsLost: new Map(),
    labelPortWrong: new Map(),
    hashUnfound: new Map(),
  };
  for (const h of hosts) {
    const v = dockerView(h);
    const held = legacyHeld(h);
    for (const p of h.polls) {
      if (!p.reachable) continue;
      out.polls += 1;
      const running = [...v.byProject].flatMap(([project, cs]) =>
        cs.filter((c) => runningAt(c, p.atMs)).map((c) => ({ project, c })),
      );
      // The rebuild keeps the newest running container of a project that has a port label.
      const dict = new Map<string, { c: HistContainer; port: number }>();
      for (const { project, c } of running) {
        const port = parsePort(c.labels["com.l9.port"]);
        const key = `${h.host}\u0000${c.id}`;
        const hp = hashProblem(c);
        if (hp) out.hashUnfound.set(key, { id: c.id.slice(0, 12), project, detail: hp });
        if (port === null) {
          out.portsLost.set(key, { id: c.id.slice(0, 12), project, detail: "no valid com.l9.port label" });
          continue;
        }
        const before = dict.get(project);
        if (!before || before.c.createdMs < c.createdMs) dict.set(project, { c, port });
      }
      const projects = new Set([...dict.keys(), ...running.map((r) => r.project)]);
      for (const project of projects) {
        out.checks += 1;
        const e = dict.get(project);
        const wrong = e?.c.labelIssues.includes("label_port_mismatch") === true;
        if (e && wrong)
          out.labelPortWrong.set(`${h.host}\u0000${e.c.id}`, {
            id: e.c.id.slice(0, 12),
            project,
            detail: `com.l9.port ${e.port} is not the bound port`,
          });
        if (!e || wrong) out.diverged += 1;
      }
      const claims = new Map<number, Set<string>>();
      const claim = (port: number | null, project: string) => {
        if (port !== null) claims.set(port, new Set([...(claims.get(port) ?? []), project]));
      };
      for (const [project, e] of dict) claim(e.port, project);
      for (const { project, c } of running) claim(c.port, project);
      for (const [port, ps] of claims)
        if (ps.size > 1) {
          out.conflicts += 1;
          out.conflictPorts.add(port);
        }
      const legacy = held(p.seq, p.atMs);
      for (const project of legacy) if (!dict.has(project)) out.legacyDropped += 1;
      for (const project of dict.keys()) if (!legacy.has(project)) out.rebuiltNew += 1;
    }
  }
  return out;
}

const predicted = (c: Criterion): PredictedCriterion => ({
  ...c,
  predicted: true,
  evidence: { ...c.evidence, summary: `predicted: ${c.evidence.summary}` },
});

function countCriterion(id: string, title: string, what: string, m: Map<string, Listed>, polls: number) {
  const rows = [...m.values()];
  return predicted({
    id,
    title,
    target: "0",
    target_value: 0,
    unit: "count",
    actual: rows.length,
    status: polls === 0 ? "insufficient_data" : rows.length === 0 ? "met" : "not_met",
    evidence: {
      summary: `${rows.length} running containers ${what} over ${polls} polls`,
      ...(polls === 0 ? { minimum: "at least 1 poll with Docker reachable" } : {}),
      details: rows.slice(0, MAX_LISTED),
    },
  });
}

export function phase3Prediction(hosts: readonly HostHistory[], bound: string): Prediction {
  const c = countPhase3(hosts);
  const counts: WindowCounts = {
    checks: c.checks,
    diverged: c.diverged,
    polls: c.polls,
    reachablePolls: c.polls,
    portConflicts: c.conflicts,
    firstPollAt: null,
    lastPollAt: null,
  };
  const div = rateCriterion("zero_divergence", "Zero divergence", counts, 0, true);
  div.evidence.summary +=
    ` of a dict rebuilt from the containers' labels against Docker; against the legacy sources it would ` +
    `drop ${c.legacyDropped} and add ${c.rebuiltNew} (poll, project) entries`;
  const conflicts = conflictsCriterion(counts);
  conflicts.evidence.details = [...c.conflictPorts].sort((a, b) => a - b).slice(0, MAX_LISTED);
  return {
    from_polls: sumPolls(hosts),
    from_reads: 0,
    bound,
    criteria: [
      predicted(div),
      predicted(conflicts),
      countCriterion(
        "ports_lost",
        "No port lost in the rebuild",
        "without a com.l9.port label (the rebuilt dict has no port for them)",
        c.portsLost,
        c.polls,
      ),
      countCriterion(
        "label_port_agrees",
        "Port labels match the bound port",
        "whose com.l9.port differs from the bound port",
        c.labelPortWrong,
        c.polls,
      ),
      countCriterion(
        "hash_lookup",
        "A lookup by the full project hash finds each container",
        "a lookup by sha256 of the path would not find",
        c.hashUnfound,
        c.polls,
      ),
    ],
  };
}
