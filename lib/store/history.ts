// Reads of stored history: a project's episodes, check counts and containers over a range,
// and window figures from the polls' running totals (two point lookups, not a scan).
import type { Db } from "../db";
import type { ApiContainerHistory, ApiEpisode } from "../contracts/state";
import type { FindingKind } from "../core/types";

/** The reachable-poll sequence range [lo, hi] that [from, to] covers, or null when empty. */
export async function seqRange(db: Db, from: Date, to: Date): Promise<{ lo: number; hi: number } | null> {
  const [first, last] = await Promise.all([
    db.poll.findFirst({
      where: { polledAt: { gte: from, lte: to }, dockerReachable: true },
      orderBy: { polledAt: "asc" },
      select: { seq: true },
    }),
    db.poll.findFirst({
      where: { polledAt: { gte: from, lte: to }, dockerReachable: true },
      orderBy: { polledAt: "desc" },
      select: { seq: true },
    }),
  ]);
  if (!first || !last) return null;
  return { lo: first.seq, hi: last.seq };
}

export async function latestSeq(db: Db): Promise<number> {
  const last = await db.poll.findFirst({ orderBy: { id: "desc" }, select: { seq: true } });
  return last?.seq ?? 0;
}

/** A project's checks and diverged checks over [from, to], from its check runs. */
export async function getProjectCheckCounts(
  db: Db,
  project: string,
  from: Date,
  to: Date,
): Promise<{ checks: number; diverged: number }> {
  const range = await seqRange(db, from, to);
  if (!range) return { checks: 0, diverged: 0 };
  const [runs, top] = await Promise.all([
    db.checkRun.findMany({
      where: { project, startSeq: { lte: range.hi }, OR: [{ endSeq: null }, { endSeq: { gte: range.lo } }] },
    }),
    latestSeq(db),
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
): Promise<ApiEpisode[]> {
  const rows = await db.findingEpisode.findMany({
    where: { project, openedAt: { lte: to }, OR: [{ closedAt: null }, { closedAt: { gte: from } }] },
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
): Promise<ApiContainerHistory[]> {
  const rows = await db.container.findMany({
    where: { project, firstSeenAt: { lte: to }, OR: [{ removedAt: null }, { removedAt: { gte: from } }] },
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
    label_issues: JSON.parse(r.labelIssues) as string[],
  }));
}

export async function projectIsKnown(db: Db, project: string): Promise<boolean> {
  const [ep, ct, run] = await Promise.all([
    db.findingEpisode.findFirst({ where: { project }, select: { id: true } }),
    db.container.findFirst({ where: { project }, select: { id: true } }),
    db.checkRun.findFirst({ where: { project }, select: { id: true } }),
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
} as const;

/** Sums over the polls in [from, to] from the running totals at both ends. */
export async function getWindowFigures(db: Db, from: Date, to: Date): Promise<WindowFigures> {
  const [before, first, last] = await Promise.all([
    db.poll.findFirst({
      where: { polledAt: { lt: from } },
      orderBy: [{ polledAt: "desc" }, { id: "desc" }],
      select: cumSelect,
    }),
    db.poll.findFirst({
      where: { polledAt: { gte: from, lte: to } },
      orderBy: [{ polledAt: "asc" }, { id: "asc" }],
      select: cumSelect,
    }),
    db.poll.findFirst({
      where: { polledAt: { gte: from, lte: to } },
      orderBy: [{ polledAt: "desc" }, { id: "desc" }],
      select: cumSelect,
    }),
  ]);
  if (!first || !last)
    return {
      polls: 0,
      reachablePolls: 0,
      checks: 0,
      diverged: 0,
      divergedAck: 0,
      kinds: {},
      firstPollAt: null,
      lastPollAt: null,
    };
  // With nothing before the window (or pruned), the base is the first row less its own share.
  const firstKinds = JSON.parse(first.kindCounts) as Record<string, number>;
  const base = before
    ? {
        seq: before.seq,
        cumChecks: before.cumChecks,
        cumDiverged: before.cumDiverged,
        cumDivergedAck: before.cumDivergedAck,
        kinds: JSON.parse(before.cumKinds) as Record<string, number>,
      }
    : {
        seq: first.seq - (first.dockerReachable ? 1 : 0),
        cumChecks: first.cumChecks - first.checks,
        cumDiverged: first.cumDiverged - first.diverged,
        cumDivergedAck: first.cumDivergedAck - first.divergedAck,
        kinds: Object.fromEntries(
          Object.entries(JSON.parse(first.cumKinds) as Record<string, number>).map(([k, v]) => [
            k,
            v - (firstKinds[k] ?? 0),
          ]),
        ),
      };
  // Poll ids are contiguous (pruning only removes the oldest), so a count is a subtraction.
  const polls = last.id - first.id + 1;
  const kindsHi = JSON.parse(last.cumKinds) as Record<string, number>;
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
  };
}
