// Time series for the charts: divergence and findings by kind from the polls' running totals
// at each bucket boundary (one indexed lookup per boundary, not a scan), read-path figures
// grouped by bucket, and the collector's own Docker latency.
import { countsJson, readJson } from "./json";
import { ms1 } from "../core/format";
import type { Db } from "../db";
import type { SeriesPoint } from "../contracts/overview";
import type { FindingKind } from "../core/types";
import { readBuckets } from "./dialect";
import { cumAtBounds } from "./dialect-pg";
import { STALE_CACHE_MS } from "../core/adr/reads";
import { LOCAL, type HostScope } from "./history";

type Cum = {
  id: number;
  seq: number;
  cumChecks: number;
  cumDiverged: number;
  cumLatencyMs: number;
  cumKinds: Record<string, number>;
};
const sel = {
  id: true,
  seq: true,
  cumChecks: true,
  cumDiverged: true,
  cumLatencyMs: true,
  cumKinds: true,
} as const;

async function cumAt(db: Db, t: Date, host: string): Promise<Cum> {
  const row = await db.poll.findFirst({
    where: { host, polledAt: { lte: t } },
    orderBy: [{ polledAt: "desc" }, { id: "desc" }],
    select: sel,
  });
  if (!row) return { id: 0, seq: 0, cumChecks: 0, cumDiverged: 0, cumLatencyMs: 0, cumKinds: {} };
  return { ...row, cumKinds: readJson(countsJson, row.cumKinds, "Poll.cumKinds") };
}

export function bucketMs(from: Date, to: Date, buckets: number): number {
  const span = Math.max(1, to.getTime() - from.getTime());
  const nice = [
    5e3,
    10e3,
    30e3,
    60e3,
    300e3,
    600e3,
    1800e3,
    3600e3,
    3 * 3600e3,
    6 * 3600e3,
    12 * 3600e3,
    86400e3,
  ];
  // Beyond the nice steps, whole days: never more than `buckets` buckets, however long the range.
  return nice.find((n) => span / n <= buckets) ?? Math.ceil(span / buckets / 86400e3) * 86400e3;
}

/** Running totals of every host in scope at each bound, added: on PostgreSQL one round trip. */
async function cumsAt(db: Db, bounds: Date[], hosts: HostScope): Promise<Cum[]> {
  if (db.dialect !== "postgresql") return Promise.all(bounds.map((b) => cumAcross(db, b, hosts)));
  const each: Cum[][] = bounds.map(() => []);
  for (const r of await cumAtBounds(db, hosts, bounds))
    each[r.i]!.push({ ...r, cumKinds: readJson(countsJson, r.cumKinds, "Poll.cumKinds") });
  return each.map(sumCums);
}

/** Running totals of every host in scope at `t`, added. */
async function cumAcross(db: Db, t: Date, hosts: HostScope): Promise<Cum> {
  const each = await Promise.all(hosts.map((h) => cumAt(db, t, h)));
  return sumCums(each);
}

function sumCums(each: Cum[]): Cum {
  if (each.length === 1) return each[0]!;
  const total: Cum = { id: 0, seq: 0, cumChecks: 0, cumDiverged: 0, cumLatencyMs: 0, cumKinds: {} };
  for (const c of each) {
    total.id += c.id;
    total.seq += c.seq;
    total.cumChecks += c.cumChecks;
    total.cumDiverged += c.cumDiverged;
    total.cumLatencyMs += c.cumLatencyMs;
    for (const [k, v] of Object.entries(c.cumKinds)) total.cumKinds[k] = (total.cumKinds[k] ?? 0) + v;
  }
  return total;
}

export async function getSeries(
  db: Db,
  from: Date,
  to: Date,
  maxBuckets = 120,
  hosts: HostScope = LOCAL,
): Promise<{ bucket_ms: number; points: SeriesPoint[] }> {
  const step = bucketMs(from, to, maxBuckets);
  const start = Math.floor(from.getTime() / step) * step;
  const bounds: Date[] = [];
  for (let t = start; t < to.getTime() + step; t += step) bounds.push(new Date(t));
  const end = bounds[bounds.length - 1]!;
  // Every figure of a bucket but the read path comes from the running totals at its bounds:
  // a key lookup per bound and host, however many polls the range holds.
  const [cums, reads] = await Promise.all([
    cumsAt(db, bounds, hosts),
    readBuckets(db, [...hosts], new Date(start), step, new Date(start), end),
  ]);
  const readsBy = new Map(reads.map((r) => [Number(r.b), r]));
  const points: SeriesPoint[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const a = cums[i]!;
    const b = cums[i + 1]!;
    const checks = b.cumChecks - a.cumChecks;
    const diverged = b.cumDiverged - a.cumDiverged;
    // Findings by kind as the average per reachable poll in the bucket, so buckets of 2 s
    // polls and of 10-minute backfilled polls compare.
    const reachable = b.seq - a.seq;
    const kinds: Partial<Record<FindingKind, number>> = {};
    for (const [k, v] of Object.entries(b.cumKinds)) {
      const d = v - (a.cumKinds[k] ?? 0);
      if (d > 0 && reachable > 0) kinds[k as FindingKind] = Math.round((d / reachable) * 100) / 100;
    }
    const r = readsBy.get(i);
    const n = Number(r?.n ?? 0);
    const polls = b.id - a.id;
    points.push({
      t: bounds[i]!.toISOString(),
      checks,
      diverged,
      rate: checks ? diverged / checks : null,
      kinds,
      polls,
      // ids count every poll, seq the reachable ones (an agent's dropped polls are in both)
      unreachable_polls: Math.max(0, polls - reachable),
      reads: n,
      fallback: Number(r?.fb ?? 0),
      fallback_rate: n ? Number(r?.fb ?? 0) / n : null,
      unanswered: Number(r?.no ?? 0),
      docker_ok_rate: n ? Number(r?.ok ?? 0) / n : null,
      latency_ms: reachable > 0 ? ms1((b.cumLatencyMs - a.cumLatencyMs) / reachable) : null,
    });
  }
  return { bucket_ms: step, points };
}

/**
 * Read events in a window: all but cache reads, served by the fallback, answered by nobody,
 * Docker ok; and apart (CONTRACT 7g: in neither rate) cache reads and the stale ones.
 */
export type ReadFigures = {
  reads: number;
  fallback: number;
  unanswered: number;
  dockerOk: number;
  cache: number;
  staleCache: number;
};

export async function getReadFigures(
  db: Db,
  from: Date,
  to: Date,
  instanceId?: string,
  hosts: HostScope = LOCAL,
): Promise<ReadFigures> {
  const inWindow = {
    host: { in: [...hosts] },
    at: { gte: from, lte: to },
    ...(instanceId ? { instanceId } : {}),
  };
  const where = { ...inWindow, servedBy: { not: "cache" } };
  const [reads, fallback, unanswered, dockerOk, cache, staleCache] = await Promise.all([
    db.readEvent.count({ where }),
    db.readEvent.count({ where: { ...where, servedBy: "fallback" } }),
    db.readEvent.count({ where: { ...where, servedBy: "none" } }),
    db.readEvent.count({ where: { ...where, dockerOk: true } }),
    db.readEvent.count({ where: { ...inWindow, servedBy: "cache" } }),
    db.readEvent.count({ where: { ...inWindow, servedBy: "cache", cacheAgeMs: { gt: STALE_CACHE_MS } } }),
  ]);
  return { reads, fallback, unanswered, dockerOk, cache, staleCache };
}
