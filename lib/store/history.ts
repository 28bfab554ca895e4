// Reads of stored history: a project's episodes, check counts and containers over a range,
// and window figures from the polls' running totals (two point lookups, not a scan).
import { countsJson, readJson, stringsJson } from "./json";
import type { Db } from "../db";
import type { ApiContainerHistory, ApiEpisode } from "../contracts/state";
import type { FindingKind } from "../core/types";

/**
 * Which machines' rows a read covers. "" is this app's own collector (standalone or agent);
 * a server's rows carry each agent's host name (issue 14).
 */
export type HostScope = readonly string[];
export const LOCAL: HostScope = Object.freeze([""]);

/** The reachable-poll sequence range [lo, hi] that [from, to] covers, or null when empty. */
export async function seqRange(
  db: Db,
  from: Date,
  to: Date,
  host = "",
): Promise<{ lo: number; hi: number } | null> {
  const [first, last] = await Promise.all([
    db.poll.findFirst({
      where: { host, polledAt: { gte: from, lte: to }, dockerReachable: true },
      orderBy: { polledAt: "asc" },
      select: { seq: true },
    }),
    db.poll.findFirst({
      where: { host, polledAt: { gte: from, lte: to }, dockerReachable: true },
      orderBy: { polledAt: "desc" },
      select: { seq: true },
    }),
  ]);
  if (!first || !last) return null;
  return { lo: first.seq, hi: last.seq };
}

export async function latestSeq(db: Db, host = ""): Promise<number> {
  const last = await db.poll.findFirst({ where: { host }, orderBy: { id: "desc" }, select: { seq: true } });
  return last?.seq ?? 0;
}

/** A project's checks and diverged checks over [from, to], from its check runs. */
export async function getProjectCheckCounts(
  db: Db,
  project: string,
  from: Date,
  to: Date,
  host = "",
): Promise<{ checks: number; diverged: number }> {
  const range = await seqRange(db, from, to, host);
  if (!range) return { checks: 0, diverged: 0 };
  const [runs, top] = await Promise.all([
    db.checkRun.findMany({
      where: {
        host,
        project,
        startSeq: { lte: range.hi },
        OR: [{ endSeq: null }, { endSeq: { gte: range.lo } }],
      },
    }),
    latestSeq(db, host),
  ]);
  let checks = 0;
  let diverged = 0;
  for (const r of runs) {
    const n = Math.min(r.endSeq ?? top, range.hi) - Math.max(r.startSeq, range.lo) + 1;
    if (n <= 0) continue;
    checks += n;
    if (r.diverged) diverged += n;
  }
  return { checks, diverged };
}

export async function getProjectEpisodes(
  db: Db,
  project: string,
  from: Date,
  to: Date,
  now: Date,
  host = "",
): Promise<ApiEpisode[]> {
  const rows = await db.findingEpisode.findMany({
    where: { host, project, openedAt: { lte: to }, OR: [{ closedAt: null }, { closedAt: { gte: from } }] },
    orderBy: [{ openedAt: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => {
    const detail = JSON.parse(r.detail) as ApiEpisode["detail"];
    return {
      source: r.source || null,
      kind: r.kind as FindingKind,
      opened_at: r.openedAt.toISOString(),
      closed_at: r.closedAt?.toISOString() ?? null,
      duration_ms: (r.closedAt ?? now).getTime() - r.openedAt.getTime(),
      detail: { ...detail, ...(r.subject ? { subject: r.subject } : {}) },
      simulated: r.simulated,
    };
  });
}

export async function getProjectContainers(
  db: Db,
  project: string,
  from: Date,
  to: Date,
  host = "",
): Promise<ApiContainerHistory[]> {
  const rows = await db.container.findMany({
    where: {
      host,
      project,
      firstSeenAt: { lte: to },
      OR: [{ removedAt: null }, { removedAt: { gte: from } }],
    },
    orderBy: { firstSeenAt: "asc" },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    first_seen_at: r.firstSeenAt.toISOString(),
    created: r.createdAt.toISOString(),
    stopped_at: r.stoppedAt?.toISOString() ?? null,
    removed_at: r.removedAt?.toISOString() ?? null,
    state: r.removedAt ? "removed" : r.state,
    port: r.port,
    label_issues: readJson(stringsJson, r.labelIssues, "Container.labelIssues"),
  }));
}

export async function projectIsKnown(db: Db, project: string, host = ""): Promise<boolean> {
  const [ep, ct, run] = await Promise.all([
    db.findingEpisode.findFirst({ where: { host, project }, select: { id: true } }),
    db.container.findFirst({ where: { host, project }, select: { id: true } }),
    db.checkRun.findFirst({ where: { host, project }, select: { id: true } }),
  ]);
  return Boolean(ep || ct || run);
}

export type WindowFigures = {
  polls: number;
  reachablePolls: number;
  checks: number;
  diverged: number;
  /** diverged checks explained by acknowledgements alone */
  divergedAck: number;
  kinds: Partial<Record<FindingKind, number>>;
  firstPollAt: Date | null;
  lastPollAt: Date | null;
  /** covered time between the window's first and last poll (CONTRACT 6f), from running totals */
  coveredMs: number;
  /** sum of Docker list latency over the window's reachable polls */
  latencySumMs: number;
  /** one host's poll ids in the window (contiguous but for an agent's dropped polls); null when summed */
  ids: { first: number; last: number } | null;
};

const cumSelect = {
  id: true,
  seq: true,
  cumChecks: true,
  cumDiverged: true,
  cumDivergedAck: true,
  divergedAck: true,
  cumKinds: true,
  polledAt: true,
  checks: true,
  diverged: true,
  kindCounts: true,
  dockerReachable: true,
  cumCoveredMs: true,
  cumLatencyMs: true,
  dockerLatencyMs: true,
} as const;

export const EMPTY_FIGURES: WindowFigures = Object.freeze({
  polls: 0,
  reachablePolls: 0,
  checks: 0,
  diverged: 0,
  divergedAck: 0,
  kinds: Object.freeze({}),
  firstPollAt: null,
  lastPollAt: null,
  coveredMs: 0,
  latencySumMs: 0,
  ids: null,
});

/** Two hosts' (or windows') figures added: counts sum, the time span is the union. */
export function addFigures(a: WindowFigures, b: WindowFigures): WindowFigures {
  const kinds: Partial<Record<FindingKind, number>> = { ...a.kinds };
  for (const [k, v] of Object.entries(b.kinds) as [FindingKind, number][]) kinds[k] = (kinds[k] ?? 0) + v;
  const min = (x: Date | null, y: Date | null) => (!x ? y : !y ? x : x < y ? x : y);
  const max = (x: Date | null, y: Date | null) => (!x ? y : !y ? x : x > y ? x : y);
  return {
    polls: a.polls + b.polls,
    reachablePolls: a.reachablePolls + b.reachablePolls,
    checks: a.checks + b.checks,
    diverged: a.diverged + b.diverged,
    divergedAck: a.divergedAck + b.divergedAck,
    kinds,
    firstPollAt: min(a.firstPollAt, b.firstPollAt),
    lastPollAt: max(a.lastPollAt, b.lastPollAt),
    // Summed over hosts: each host's covered time added (the phase engine takes the least-covered host's).
    coveredMs: a.coveredMs + b.coveredMs,
    latencySumMs: a.latencySumMs + b.latencySumMs,
    ids: null,
  };
}

/** Each host's figures over [from, to] (hosts with no poll in it are left out). */
export async function getWindowFiguresByHost(
  db: Db,
  from: Date,
  to: Date,
  hosts: HostScope,
): Promise<Map<string, WindowFigures>> {
  const figures = await Promise.all(hosts.map((h) => hostWindowFigures(db, from, to, h)));
  const out = new Map<string, WindowFigures>();
  hosts.forEach((h, i) => {
    if (figures[i]!.polls > 0) out.set(h, figures[i]!);
  });
  return out;
}

/** Sums over the polls in [from, to] of every host in scope (this app's own by default). */
export async function getWindowFigures(
  db: Db,
  from: Date,
  to: Date,
  hosts: HostScope = LOCAL,
): Promise<WindowFigures> {
  if (hosts.length === 1) return hostWindowFigures(db, from, to, hosts[0]!);
  const byHost = await getWindowFiguresByHost(db, from, to, hosts);
  let total = EMPTY_FIGURES;
  for (const f of byHost.values()) total = addFigures(total, f);
  return total;
}

/** One host's sums over [from, to] from the running totals at both ends. */
async function hostWindowFigures(db: Db, from: Date, to: Date, host: string): Promise<WindowFigures> {
  const [before, first, last] = await Promise.all([
    db.poll.findFirst({
      where: { host, polledAt: { lt: from } },
      orderBy: [{ polledAt: "desc" }, { id: "desc" }],
      select: cumSelect,
    }),
    db.poll.findFirst({
      where: { host, polledAt: { gte: from, lte: to } },
      orderBy: [{ polledAt: "asc" }, { id: "asc" }],
      select: cumSelect,
    }),
    db.poll.findFirst({
      where: { host, polledAt: { gte: from, lte: to } },
      orderBy: [{ polledAt: "desc" }, { id: "desc" }],
      select: cumSelect,
    }),
  ]);
  if (!first || !last) return EMPTY_FIGURES;
  // With nothing before the window (or pruned), the base is the first row less its own share.
  const firstKinds = readJson(countsJson, first.kindCounts, "Poll.kindCounts");
  const base = before
    ? {
        seq: before.seq,
        cumChecks: before.cumChecks,
        cumDiverged: before.cumDiverged,
        cumDivergedAck: before.cumDivergedAck,
        cumLatencyMs: before.cumLatencyMs,
        kinds: readJson(countsJson, before.cumKinds, "Poll.cumKinds"),
      }
    : {
        seq: first.seq - (first.dockerReachable ? 1 : 0),
        cumChecks: first.cumChecks - first.checks,
        cumDiverged: first.cumDiverged - first.diverged,
        cumDivergedAck: first.cumDivergedAck - first.divergedAck,
        cumLatencyMs: first.cumLatencyMs - (first.dockerReachable ? (first.dockerLatencyMs ?? 0) : 0),
        kinds: Object.fromEntries(
          Object.entries(readJson(countsJson, first.cumKinds, "Poll.cumKinds")).map(([k, v]) => [
            k,
            v - (firstKinds[k] ?? 0),
          ]),
        ),
      };
  // Poll ids are contiguous per host (pruning only removes the oldest; an agent's dropped
  // polls leave gaps, and the running totals still count them), so a count is a subtraction.
  const polls = last.id - first.id + 1;
  const kindsHi = readJson(countsJson, last.cumKinds, "Poll.cumKinds");
  const kindsLo = base.kinds;
  const kinds: Partial<Record<FindingKind, number>> = {};
  for (const [k, v] of Object.entries(kindsHi)) {
    const d = v - (kindsLo[k] ?? 0);
    if (d > 0) kinds[k as FindingKind] = d;
  }
  return {
    polls,
    reachablePolls: last.seq - base.seq,
    checks: last.cumChecks - base.cumChecks,
    diverged: last.cumDiverged - base.cumDiverged,
    divergedAck: last.cumDivergedAck - base.cumDivergedAck,
    kinds,
    firstPollAt: first.polledAt,
    lastPollAt: last.polledAt,
    coveredMs: last.cumCoveredMs - first.cumCoveredMs,
    latencySumMs: last.cumLatencyMs - base.cumLatencyMs,
    ids: { first: first.id, last: last.id },
  };
}
