// What the intervals and durations of issue 24 need from stored history: each rate's
// observations summed per series (a project's check from its check runs, a project's reads in
// order), and Phase 3's regressions over the last 28 days. The rules are in lib/core/certainty.ts.
import type { Db } from "../db";
import type { BinarySeries } from "../core/confidence";
import type { CertaintyInputs } from "../core/certainty";
import { latestSeq, seqRange, type HostScope } from "./history";

const EMPTY: BinarySeries = { n: 0, x: 0, series: 0, pairs: 0, changes: 0 };
const add = (a: BinarySeries, b: BinarySeries): BinarySeries => ({
  n: a.n + b.n,
  x: a.x + b.x,
  series: a.series + b.series,
  pairs: a.pairs + b.pairs,
  changes: a.changes + b.changes,
});

/** One host's checks over [from, to] from its runs: a run is a stretch of one status. */
async function divergenceSeries(db: Db, from: Date, to: Date, host: string): Promise<BinarySeries> {
  const range = await seqRange(db, from, to, host);
  if (!range) return EMPTY;
  const [runs, top] = await Promise.all([
    db.checkRun.findMany({
      where: { host, startSeq: { lte: range.hi }, OR: [{ endSeq: null }, { endSeq: { gte: range.lo } }] },
      select: { project: true, source: true, diverged: true, startSeq: true, endSeq: true },
      orderBy: [{ project: "asc" }, { source: "asc" }, { startSeq: "asc" }],
    }),
    latestSeq(db, host),
  ]);
  const s = { ...EMPTY };
  let prev: { key: string; end: number; diverged: boolean } | null = null;
  for (const r of runs) {
    const lo = Math.max(r.startSeq, range.lo);
    const hi = Math.min(r.endSeq ?? top, range.hi);
    if (hi < lo) continue;
    const key = `${r.project}\u0000${r.source}`;
    const len = hi - lo + 1;
    s.n += len;
    if (r.diverged) s.x += len;
    s.pairs += len - 1;
    // A run right after the previous one of the same check is a consecutive pair.
    if (prev && prev.key === key && prev.end + 1 === lo) {
      s.pairs += 1;
      if (prev.diverged !== r.diverged) s.changes += 1;
    }
    if (!prev || prev.key !== key) s.series += 1;
    prev = { key, end: hi, diverged: r.diverged };
  }
  return s;
}

/** Reads per project in order (cache reads left out, CONTRACT 7g): Docker ok and fallback. */
async function readSeries(db: Db, from: Date, to: Date, hosts: HostScope) {
  const rows = await db.readEvent.findMany({
    where: { host: { in: [...hosts] }, at: { gte: from, lte: to }, servedBy: { not: "cache" } },
    select: { host: true, project: true, dockerOk: true, servedBy: true },
    orderBy: [{ host: "asc" }, { project: "asc" }, { at: "asc" }, { id: "asc" }],
  });
  const ok = { ...EMPTY };
  const fb = { ...EMPTY };
  let key = "";
  let last: { ok: boolean; fb: boolean } | null = null;
  for (const r of rows) {
    const k = `${r.host}\u0000${r.project}`;
    const cur = { ok: r.dockerOk, fb: r.servedBy === "fallback" };
    for (const [s, v] of [
      [ok, cur.ok],
      [fb, cur.fb],
    ] as const) {
      s.n += 1;
      if (v) s.x += 1;
    }
    if (k === key && last) {
      ok.pairs += 1;
      fb.pairs += 1;
      if (last.ok !== cur.ok) ok.changes += 1;
      if (last.fb !== cur.fb) fb.changes += 1;
    } else {
      ok.series += 1;
      fb.series += 1;
    }
    key = k;
    last = cur;
  }
  return { ok, fb };
}

/** When the poll of reachable sequence `seq` ran (a run's end), or null when pruned. */
async function seqTime(db: Db, host: string, seq: number): Promise<string | null> {
  const p = await db.poll.findFirst({
    where: { host, seq, dockerReachable: true },
    orderBy: { id: "desc" },
    select: { polledAt: true },
  });
  return p?.polledAt.toISOString() ?? null;
}

const MAX_REGRESSIONS = 50;

/** Phase 3's regressions since max(its start, 28 days ago): what the stable run restarts from. */
async function regressions(db: Db, now: Date, hosts: HostScope, phase3: string | null) {
  if (!phase3) return [];
  const d28 = new Date(now.getTime() - 28 * 86400_000);
  const from = new Date(Math.max(Date.parse(phase3), d28.getTime()));
  const out: CertaintyInputs["regressions"] = [];
  for (const host of hosts) {
    const range = await seqRange(db, from, now, host);
    if (!range) continue;
    const runs = await db.checkRun.findMany({
      where: {
        host,
        diverged: true,
        startSeq: { lte: range.hi },
        OR: [{ endSeq: null }, { endSeq: { gte: range.lo } }],
      },
      orderBy: { startSeq: "desc" },
      take: MAX_REGRESSIONS,
    });
    for (const r of runs) {
      const at = (await seqTime(db, host, Math.max(r.startSeq, range.lo))) ?? from.toISOString();
      const ended = r.endSeq === null ? null : await seqTime(db, host, r.endSeq);
      out.push({ at, ended_at: ended, what: `${r.project} diverged (${r.source})` });
    }
  }
  const [conflicts, unrecovered] = await Promise.all([
    db.findingEpisode.findMany({
      where: { host: { in: [...hosts] }, kind: "port_conflict", lastSeenAt: { gte: from } },
      orderBy: { openedAt: "desc" },
      take: MAX_REGRESSIONS,
    }),
    db.restart.findMany({
      where: { host: { in: [...hosts] }, detectedAt: { gte: d28, lte: now }, recoveredAt: null },
      take: MAX_REGRESSIONS,
    }),
  ]);
  for (const c of conflicts)
    out.push({
      at: c.openedAt.toISOString(),
      ended_at: c.closedAt ? c.lastSeenAt.toISOString() : null,
      what: `${c.project} port conflict`,
    });
  for (const r of unrecovered)
    out.push({
      at: r.detectedAt.toISOString(),
      ended_at: null,
      what: `restart of ${r.instanceId} not recovered`,
    });
  return out.sort((a, b) => b.at.localeCompare(a.at)).slice(0, MAX_REGRESSIONS);
}

export async function gatherCertainty(
  db: Db,
  from: Date,
  now: Date,
  hosts: HostScope,
  starts: (string | null)[],
): Promise<CertaintyInputs> {
  const [divs, reads, regs] = await Promise.all([
    Promise.all(hosts.map((h) => divergenceSeries(db, from, now, h))),
    readSeries(db, from, now, hosts),
    regressions(db, now, hosts, starts[3] ?? null),
  ]);
  return {
    divergence: divs.reduce(add, EMPTY),
    dockerOk: reads.ok,
    fallback: reads.fb,
    regressions: regs,
    phaseStarts: starts,
  };
}
