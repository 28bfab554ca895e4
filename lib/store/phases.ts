// Phase settings (with who and when, kept as history) and the figures the criteria engine
// needs for a window. The engine itself is pure (lib/core/phases.ts); services run it.
import { labelsJson, readJson, stringsJson } from "./json";
import type { Db } from "../db";
import type { Env } from "../env";
import type { PhaseInputs, WindowCounts } from "../core/phases";
import { PHASE1_LABELS } from "../core/divergence";
import { parseDuration } from "../core/time";
import { LOCAL, type HostScope } from "./history";
import {
  addFigures,
  EMPTY_FIGURES,
  getWindowFigures,
  getWindowFiguresByHost,
  type WindowFigures,
} from "./window-figures";
import { latencyAtIds } from "./dialect";
import { getReadFigures } from "./series";
import { countAllocationFailures } from "./instances";
import { parseSignOffs } from "./reviews";
import { recordAudit, type AuditInput } from "./audit";
import { gatherCertainty } from "./certainty";

import type { PhaseChangeRow } from "../contracts/phases";

export async function getPhaseHistory(db: Db): Promise<PhaseChangeRow[]> {
  const rows = await db.phaseChange.findMany({ orderBy: [{ setAt: "desc" }, { id: "desc" }] });
  return rows.map((r) => ({
    phase: r.phase,
    started_at: r.startedAt.toISOString(),
    set_by: r.setBy,
    set_at: r.setAt.toISOString(),
    note: r.note,
  }));
}

export async function phaseChangesBetween(db: Db, from: Date, to: Date) {
  return db.phaseChange.findMany({ where: { setAt: { gte: from, lte: to } }, orderBy: { setAt: "asc" } });
}

/** Records the current phase; with `audit` (a person's write), its audit entry in the same transaction. */
export async function setPhase(
  db: Db,
  p: { phase: number; startedAt: Date; setBy: string; note: string },
  now: Date,
  audit?: Omit<AuditInput, "action" | "target" | "detail">,
): Promise<void> {
  if (audit) {
    await db.$transaction(async (tx) => {
      await tx.phaseChange.create({
        data: { phase: p.phase, startedAt: p.startedAt, setBy: p.setBy, setAt: now, note: p.note },
      });
      await recordAudit(tx, {
        ...audit,
        action: "phase.set",
        target: `phase:${p.phase}`,
        detail: { phase: p.phase, started_at: p.startedAt.toISOString(), note: p.note },
      });
    });
    return;
  }
  await db.phaseChange.create({
    data: { phase: p.phase, startedAt: p.startedAt, setBy: p.setBy, setAt: now, note: p.note },
  });
}

export const toCounts = (w: Awaited<ReturnType<typeof getWindowFigures>>): WindowCounts => ({
  checks: w.checks,
  diverged: w.diverged,
  divergedAck: w.divergedAck,
  polls: w.polls,
  reachablePolls: w.reachablePolls,
  portConflicts: w.kinds.port_conflict ?? 0,
  firstPollAt: w.firstPollAt?.toISOString() ?? null,
  lastPollAt: w.lastPollAt?.toISOString() ?? null,
});

/** At most this many polls' latencies make the window's p50/p95 (spread evenly over its ids). */
const LATENCY_SAMPLES = 2000;

/**
 * Docker list latency percentiles: a sample of each host's polls taken by id (ids are
 * contiguous per host), so the cost is a few thousand key lookups however long the window.
 */
async function latency(
  db: Db,
  byHost: ReadonlyMap<string, WindowFigures>,
  hostCount: number,
): Promise<PhaseInputs["latency"]> {
  const per = Math.max(1, Math.floor(LATENCY_SAMPLES / Math.max(1, hostCount)));
  const each = await Promise.all(
    [...byHost].map(([host, f]) => {
      if (!f.ids) return Promise.resolve([] as number[]);
      const span = f.ids.last - f.ids.first + 1;
      const step = Math.max(1, Math.floor(span / per));
      const ids: number[] = [];
      for (let id = f.ids.first; id <= f.ids.last && ids.length < per; id += step) ids.push(id);
      return latencyAtIds(db, host, ids);
    }),
  );
  const xs = each.flat().sort((a, b) => a - b);
  const q = (p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]! : null);
  return { samples: xs.length, p50: q(0.5), p95: q(0.95) };
}

const PHASE1_LABEL_SET = new Set<string>(PHASE1_LABELS);

/**
 * Time in [from, to] covered by one host's stored polls (CONTRACT 6f): the sum of the gaps
 * between consecutive polls at most 3 poll intervals apart, taking the larger of the two polls'
 * intervals (a switch from 10-minute backfill steps to live polls is not a hole). Each poll
 * carries the running total, so this is two key lookups, not a scan.
 */
export async function coveredTime(db: Db, from: Date, to: Date, host = ""): Promise<number> {
  return (await getWindowFiguresByHost(db, from, to, [host])).get(host)?.coveredMs ?? 0;
}

export async function gatherPhaseInputs(
  db: Db,
  cfg: Env,
  windowLabel: string,
  now: Date,
  starts: (string | null)[],
  dockerWriteAttempts: number,
  hosts: HostScope = LOCAL,
): Promise<PhaseInputs> {
  const windowMs = parseDuration(windowLabel) ?? 7 * 86400_000;
  const from = new Date(now.getTime() - windowMs);
  const p1 = starts[1] ? new Date(starts[1]) : null;
  const p2 = starts[2] ? new Date(starts[2]) : null;
  const since = p1 && p1 > from ? p1 : from;
  const d28 = new Date(now.getTime() - 28 * 86400_000);
  const inHosts = { in: [...hosts] };
  // Each host's figures over the window (key lookups on running totals), then their sums.
  const byHost = await getWindowFiguresByHost(db, from, now, hosts);
  let w = EMPTY_FIGURES;
  for (const f of byHost.values()) w = addFigures(w, f);
  const [reads, byInstance, containers, restarts, phase1, last28, unrecovered, lat, review] =
    await Promise.all([
      getReadFigures(db, from, now, undefined, hosts),
      db.readEvent.groupBy({
        by: ["instanceId"],
        where: { host: inHosts, at: { gte: from, lte: now } },
        _count: { _all: true },
      }),
      db.container.findMany({
        where: { host: inHosts, firstSeenAt: { gte: since, lte: now } },
        select: { id: true, project: true, firstSeenAt: true, labelIssues: true, labels: true },
      }),
      db.restart.findMany({
        where: { host: inHosts, detectedAt: { gte: from, lte: now } },
        orderBy: { detectedAt: "asc" },
      }),
      p1 && p2 && p2 > p1 ? getWindowFigures(db, p1, p2, hosts) : Promise.resolve(null),
      getWindowFigures(db, d28, now, hosts),
      db.restart.count({ where: { host: inHosts, detectedAt: { gte: d28, lte: now }, recoveredAt: null } }),
      latency(db, byHost, hosts.length),
      db.review.findFirst({ where: { phase: 4, decision: { not: null } }, orderBy: { decidedAt: "desc" } }),
    ]);
  // CONTRACT 7b: crash-leaked containers still open (their finding names the stale holder).
  const crashLeaked = await db.findingEpisode.findMany({
    where: {
      host: inHosts,
      kind: "leaked_container",
      closedAt: null,
      source: { startsWith: "active_indexers:" },
    },
    select: { project: true, subject: true, source: true },
  });
  const covered = hosts.map((h) => byHost.get(h)?.coveredMs ?? 0);
  const readsByInstance = await Promise.all(
    byInstance.map(async (i) => ({
      instanceId: i.instanceId,
      ...(await getReadFigures(db, from, now, i.instanceId, hosts)),
    })),
  );
  // Many hosts: the window is covered only as far as the least-covered host's (each must be watched).
  const coveredMs = covered.length ? Math.min(...covered) : 0;
  return {
    now: now.toISOString(),
    windowLabel,
    windowMs,
    pollIntervalMs: cfg.pollIntervalMs,
    counts: toCounts(w),
    dockerWriteAttempts,
    newContainers: containers.map((c) => ({
      id: c.id,
      project: c.project,
      firstSeenAt: c.firstSeenAt.toISOString(),
      labelIssues: readJson(stringsJson, c.labelIssues, "Container.labelIssues"),
      labels: Object.keys(readJson(labelsJson, c.labels, "Container.labels")).filter((k) =>
        PHASE1_LABEL_SET.has(k),
      ),
    })),
    coveredMs,
    byHost:
      hosts === LOCAL
        ? []
        : hosts.map((host, i) => ({
            host,
            counts: toCounts(byHost.get(host) ?? EMPTY_FIGURES),
            coveredMs: covered[i] ?? 0,
          })),
    phase1StartedAt: starts[1] ?? null,
    labelHashPrefixOk: cfg.labelHashPrefixOk,
    allocationFailures: await countAllocationFailures(db, from, now, hosts),
    crashLeaked: crashLeaked.map((l) => ({ project: l.project, container_id: l.subject, source: l.source })),
    reads,
    readsByInstance,
    phase1Counts: phase1 ? toCounts(phase1) : null,
    restarts: restarts.map((r) => ({
      instanceId: r.instanceId,
      previousInstanceId: r.previousInstanceId,
      startedAt: r.startedAt.toISOString(),
      detectedAt: r.detectedAt.toISOString(),
      recoveredAt: r.recoveredAt?.toISOString() ?? null,
      reason: r.reason,
    })),
    phase3StartedAt: starts[3] ?? null,
    last28d: toCounts(last28),
    last28dRestartsUnrecovered: unrecovered,
    latency: lat,
    certainty: await gatherCertainty(db, from, now, hosts, starts),
    signOff:
      review && review.decision
        ? {
            reviewId: review.id,
            decision: review.decision,
            // Only sign-offs bound to a signed-in identity count (not names typed before sign-in).
            signOffs: parseSignOffs(review.signOffs)
              .filter((s) => s.via !== "unverified")
              .map((s) => s.by),
            at: (review.decidedAt ?? review.createdAt).toISOString(),
          }
        : null,
  };
}
