// Reads of stored history: a project's episodes, check counts and containers over a range
// (window figures from the polls' running totals: window-figures.ts).
import { readJson, stringsJson } from "./json";
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
