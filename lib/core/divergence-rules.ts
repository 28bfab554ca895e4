// The divergence rules of CONTRACT.md section 2: one source's check, label findings, port
// claims and conflicts, a project's health. Pure; lib/core/divergence.ts runs them over a poll.
import {
  ADR_KINDS,
  LABEL_KINDS,
  type Check,
  type Container,
  type Finding,
  type FindingKind,
  type Health,
  type Source,
  type SourceEntry,
  type SourceValue,
} from "./types";

import { NO_FINDINGS } from "./divergence-labels";
export { labelFindings, labelsInformational, NO_FINDINGS, PHASE1_LABELS } from "./divergence-labels";

export const short = (id: string) => id.slice(0, 12);
export const isRunning = (c: Container) => c.state === "running";
export const newestFirst = (a: Container, b: Container) =>
  b.createdMs - a.createdMs || (a.id < b.id ? -1 : 1);
const WARNING_KIND_SET = new Set<FindingKind>([...LABEL_KINDS, ...ADR_KINDS]);

export function roundRate(diverged: number, checks: number): number {
  return checks === 0 ? 0 : Math.round((diverged / checks) * 10000) / 10000;
}

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

/** Who claims a port for a project: a running container, or a source's entry. */
export type Claim = { project: string; container: Container | null; source: string | null };
const claimant = (c: Claim) => (c.container ? `container ${short(c.container.id)}` : c.source!);

/**
 * Claims on the ports that more than one project claims, by port. Two passes: the first keeps
 * one project name per port and allocates nothing else; only a shared port's claims are built.
 */
export function portClaims(
  containers: readonly Container[],
  sources: readonly Source[],
): Map<number, Claim[]> {
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
export function portsByProject(claims: Map<number, Claim[]>): Map<string, number[]> {
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

export function conflictFindings(project: string, ports: number[], claims: Map<number, Claim[]>): Finding[] {
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

/**
 * A project's health. Issue 25: in-flight checks and their findings do not count: a project
 * whose only differences are in flight is consistent (its checks say "in flight").
 */
export function healthOf(checks: Check[], findings: Finding[]): Health {
  if (findings.length === 0) return "consistent";
  if (
    checks.some((c) => c.status === "diverged" && !c.in_flight) ||
    findings.some((f) => f.kind === "duplicate_containers" || f.kind === "port_conflict")
  )
    return "diverged";
  if (findings.some((f) => WARNING_KIND_SET.has(f.kind) && !f.informational && !f.in_flight))
    return "warning";
  return "consistent";
}
