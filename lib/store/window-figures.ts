// Window figures from the polls' running totals (two point lookups, not a scan), per host or summed.
import { countsJson, readJson } from "./json";
import type { Db } from "../db";
import type { FindingKind } from "../core/types";
import { LOCAL, type HostScope } from "./history";
import { windowEndsByHost, type EndRow } from "./dialect-pg";

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
  if (db.dialect === "postgresql") {
    // One round trip for every host (LATERAL lookups), not three per host.
    const ends = await windowEndsByHost(db, hosts, from, to);
    return new Map([...ends].map(([h, e]) => [h, figuresFromEnds(e.before, e.first, e.last)]));
  }
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
  if (hosts.length === 1 && db.dialect === "postgresql")
    return (await getWindowFiguresByHost(db, from, to, hosts)).get(hosts[0]!) ?? EMPTY_FIGURES;
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
  return figuresFromEnds(before, first, last);
}

/** A window's figures from its ends: the last poll before it (if kept), its first and last. */
function figuresFromEnds(before: EndRow | null, first: EndRow, last: EndRow): WindowFigures {
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
