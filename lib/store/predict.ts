// The window's stored history the predictor replays (lib/core/predict), bounded: an even
// sample of at most PREDICT_POLLS polls, the latest PREDICT_READS read events, and at most
// PREDICT_ROWS check runs, episodes, containers and outages per host.
import { labelsJson, readJson, stringsJson } from "./json";
import type { Db } from "../db";
import type { HostHistory } from "../core/predict";
import type { HostScope } from "./history";

export const PREDICT_POLLS = 600;
export const PREDICT_READS = 20_000;
export const PREDICT_ROWS = 20_000;

export const PREDICT_BOUND =
  `an even sample of at most ${PREDICT_POLLS} polls of the window, the latest ${PREDICT_READS} read ` +
  `events (cache reads left out) and at most ${PREDICT_ROWS} check runs, episodes and containers per host`;

const ms = (d: Date | null) => (d === null ? null : d.getTime());

async function samplePolls(db: Db, host: string, from: Date, to: Date, n: number) {
  const where = { host, polledAt: { gte: from, lte: to } };
  const [first, last, count] = await Promise.all([
    db.poll.findFirst({ where, orderBy: { polledAt: "asc" }, select: { id: true } }),
    db.poll.findFirst({ where, orderBy: { polledAt: "desc" }, select: { id: true } }),
    db.poll.count({ where }),
  ]);
  if (!first || !last) return { polls: [], count: 0 };
  // Poll ids are contiguous per host: a stride over the id span is an even sample.
  const span = last.id - first.id + 1;
  const step = Math.max(1, span / Math.max(1, n));
  const ids = [
    ...new Set(Array.from({ length: Math.min(n, span) }, (_, i) => first.id + Math.floor(i * step))),
  ];
  const rows = await db.poll.findMany({
    where: { ...where, id: { in: ids } },
    orderBy: { id: "asc" },
    select: { polledAt: true, seq: true, dockerReachable: true },
  });
  return {
    polls: rows.map((r) => ({ atMs: r.polledAt.getTime(), seq: r.seq, reachable: r.dockerReachable })),
    count,
  };
}

async function hostHistory(db: Db, host: string, from: Date, to: Date, polls: number): Promise<HostHistory> {
  const sample = await samplePolls(db, host, from, to, polls);
  const seqs = sample.polls.map((p) => p.seq);
  const lo = Math.min(...seqs, Number.MAX_SAFE_INTEGER);
  const hi = Math.max(...seqs, 0);
  const [outages, runs, notHeld, containers, reads, readsInWindow] = await Promise.all([
    db.poll.findMany({
      where: { host, polledAt: { gte: from, lte: to }, dockerReachable: false },
      orderBy: { polledAt: "desc" },
      take: PREDICT_ROWS,
      select: { polledAt: true, intervalMs: true },
    }),
    db.checkRun.findMany({
      where: { host, startSeq: { lte: hi }, OR: [{ endSeq: null }, { endSeq: { gte: lo } }] },
      orderBy: { startSeq: "desc" },
      take: PREDICT_ROWS,
      select: { project: true, source: true, startSeq: true, endSeq: true },
    }),
    db.findingEpisode.findMany({
      where: {
        host,
        kind: "missing_in_source",
        openedAt: { lte: to },
        OR: [{ closedAt: null }, { closedAt: { gte: from } }],
      },
      orderBy: { openedAt: "desc" },
      take: PREDICT_ROWS,
      select: { project: true, source: true, openedAt: true, closedAt: true },
    }),
    db.container.findMany({
      where: { host, firstSeenAt: { lte: to }, OR: [{ removedAt: null }, { removedAt: { gte: from } }] },
      orderBy: { firstSeenAt: "desc" },
      take: PREDICT_ROWS,
    }),
    db.readEvent.findMany({
      where: { host, at: { gte: from, lt: to }, servedBy: { not: "cache" } },
      orderBy: { at: "desc" },
      take: PREDICT_READS,
      select: { at: true, project: true },
    }),
    db.readEvent.count({ where: { host, at: { gte: from, lt: to }, servedBy: { not: "cache" } } }),
  ]);
  return {
    host,
    polls: sample.polls,
    pollsInWindow: sample.count,
    // Docker counts as down from an unreachable poll until the next one is due.
    outages: outages.map((o) => ({
      fromMs: o.polledAt.getTime(),
      toMs: o.polledAt.getTime() + o.intervalMs,
    })),
    runs,
    notHeld: notHeld.map((e) => ({
      project: e.project,
      source: e.source,
      fromMs: e.openedAt.getTime(),
      toMs: ms(e.closedAt),
    })),
    containers: containers.map((c) => ({
      id: c.id,
      name: c.name,
      labels: readJson(labelsJson, c.labels, "Container.labels"),
      labelIssues: readJson(stringsJson, c.labelIssues, "Container.labelIssues"),
      port: c.port,
      createdMs: c.createdAt.getTime(),
      firstSeenMs: c.firstSeenAt.getTime(),
      stoppedMs: ms(c.stoppedAt),
      removedMs: ms(c.removedAt),
    })),
    reads: reads.map((r) => ({ atMs: r.at.getTime(), project: r.project })),
    readsInWindow,
  };
}

/** Each host's history over [from, to], the poll sample shared out between the hosts. */
export async function getPredictionHistory(
  db: Db,
  hosts: HostScope,
  from: Date,
  to: Date,
): Promise<HostHistory[]> {
  const per = Math.max(1, Math.floor(PREDICT_POLLS / Math.max(1, hosts.length)));
  const out: HostHistory[] = [];
  for (const h of hosts) out.push(await hostHistory(db, h, from, to, per));
  return out;
}
