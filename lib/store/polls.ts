// Storage of polls: the collector's memory of open history, and recordPoll, which writes a
// poll whole or not at all (one transaction).
import type { Db } from "../db";
import { insertPollRow } from "./dialect";
import {
  episodeKey,
  planIsEmpty,
  runKey,
  type HistoryPlan,
  type KnownContainer,
  type OpenEpisode,
  type OpenRun,
} from "../core/history";
import type { FindingKind } from "../core/types";

/** Running totals after the last poll, and its id (the next poll takes id + 1). */
export type Cumulative = {
  lastId: number;
  seq: number;
  cumChecks: number;
  cumDiverged: number;
  /** diverged checks explained by acknowledgements alone, running total */
  cumDivergedAck: number;
  cumKinds: Partial<Record<FindingKind, number>>;
  /** covered time (CONTRACT 6f) and Docker latency over reachable polls, running totals */
  cumCoveredMs: number;
  cumLatencyMs: number;
  /** the last poll's time and interval (the next poll's gap is measured from it) */
  lastPolledAtMs: number | null;
  lastIntervalMs: number;
};

export type CollectorMemory = {
  episodes: Map<string, OpenEpisode>;
  runs: Map<string, OpenRun>;
  containers: Map<string, KnownContainer>;
  cumulative: Cumulative;
};

export async function loadCollectorMemory(db: Db): Promise<CollectorMemory> {
  const [episodes, runs, containers, last] = await Promise.all([
    db.findingEpisode.findMany({ where: { host: "", closedAt: null } }),
    db.checkRun.findMany({ where: { host: "", endSeq: null } }),
    db.container.findMany({
      where: { host: "", removedAt: null },
      select: { id: true, state: true, port: true },
    }),
    db.poll.findFirst({ where: { host: "" }, orderBy: { id: "desc" } }),
  ]);
  return {
    episodes: new Map(
      episodes.map((e) => [
        episodeKey(e),
        {
          id: e.id,
          project: e.project,
          source: e.source,
          kind: e.kind,
          subject: e.subject,
          openedAt: e.openedAt,
        },
      ]),
    ),
    runs: new Map(
      runs.map((r) => [
        runKey(r.project, r.source),
        { id: r.id, project: r.project, source: r.source, diverged: r.diverged, startSeq: r.startSeq },
      ]),
    ),
    containers: new Map(
      containers.map((c) => [c.id, { id: c.id, state: c.state, port: c.port, removed: false }]),
    ),
    cumulative: last
      ? {
          lastId: last.id,
          seq: last.seq,
          cumChecks: last.cumChecks,
          cumDiverged: last.cumDiverged,
          cumDivergedAck: last.cumDivergedAck,
          cumKinds: JSON.parse(last.cumKinds) as Cumulative["cumKinds"],
          cumCoveredMs: last.cumCoveredMs,
          cumLatencyMs: last.cumLatencyMs,
          lastPolledAtMs: last.polledAt.getTime(),
          lastIntervalMs: last.intervalMs,
        }
      : {
          lastId: 0,
          seq: 0,
          cumChecks: 0,
          cumDiverged: 0,
          cumDivergedAck: 0,
          cumKinds: {},
          cumCoveredMs: 0,
          cumLatencyMs: 0,
          lastPolledAtMs: null,
          lastIntervalMs: 0,
        },
  };
}

export type PollRow = {
  polledAt: Date;
  dockerReachable: boolean;
  dockerLatencyMs: number | null;
  dockerError: string | null;
  durationMs: number;
  /** the poll interval in force (CONTRACT 6f: covered time) */
  intervalMs: number;
  checks: number;
  diverged: number;
  /** diverged checks whose every finding was acknowledged */
  divergedAck: number;
  projects: number;
  kindCounts: Partial<Record<FindingKind, number>>;
  simulated: boolean;
};

export function nextCumulative(
  prev: Cumulative,
  row: Pick<
    PollRow,
    | "dockerReachable"
    | "checks"
    | "diverged"
    | "divergedAck"
    | "kindCounts"
    | "polledAt"
    | "intervalMs"
    | "dockerLatencyMs"
  >,
): Cumulative {
  const cumKinds = { ...prev.cumKinds };
  for (const [k, n] of Object.entries(row.kindCounts) as [FindingKind, number][])
    cumKinds[k] = (cumKinds[k] ?? 0) + n;
  const at = row.polledAt.getTime();
  // CONTRACT 6f: a gap of at most 3 poll intervals (the larger of the two polls') is covered.
  const gap = prev.lastPolledAtMs === null ? 0 : at - prev.lastPolledAtMs;
  const covered = gap > 0 && gap <= 3 * Math.max(row.intervalMs, prev.lastIntervalMs) ? gap : 0;
  return {
    lastId: prev.lastId + 1,
    seq: prev.seq + (row.dockerReachable ? 1 : 0),
    cumChecks: prev.cumChecks + row.checks,
    cumDiverged: prev.cumDiverged + row.diverged,
    cumDivergedAck: prev.cumDivergedAck + row.divergedAck,
    cumKinds,
    cumCoveredMs: prev.cumCoveredMs + covered,
    cumLatencyMs: prev.cumLatencyMs + (row.dockerReachable ? (row.dockerLatencyMs ?? 0) : 0),
    lastPolledAtMs: at,
    lastIntervalMs: row.intervalMs,
  };
}

export type RecordedPoll = {
  pollId: number;
  openedEpisodes: Map<string, number>;
  openedRuns: Map<string, number>;
};

/**
 * Writes one poll: its summary row, the history plan and restart recoveries, in one transaction.
 */
export async function recordPoll(
  db: Db,
  args: {
    row: PollRow;
    cumulative: Cumulative;
    plan: HistoryPlan;
    recoveredRestarts: number[];
  },
): Promise<RecordedPoll> {
  const { row, cumulative, plan } = args;
  const pollData = {
    host: "",
    id: cumulative.lastId,
    polledAt: row.polledAt,
    dockerReachable: row.dockerReachable,
    dockerLatencyMs: row.dockerLatencyMs,
    dockerError: row.dockerError,
    durationMs: row.durationMs,
    intervalMs: row.intervalMs,
    checks: row.checks,
    diverged: row.diverged,
    projects: row.projects,
    kindCounts: JSON.stringify(row.kindCounts),
    seq: cumulative.seq,
    cumChecks: cumulative.cumChecks,
    cumDiverged: cumulative.cumDiverged,
    divergedAck: row.divergedAck,
    cumDivergedAck: cumulative.cumDivergedAck,
    cumKinds: JSON.stringify(cumulative.cumKinds),
    cumCoveredMs: cumulative.cumCoveredMs,
    cumLatencyMs: cumulative.cumLatencyMs,
    simulated: row.simulated,
  };
  // Steady state (nothing changed): the summary row alone, one statement, atomic by itself.
  if (planIsEmpty(plan) && args.recoveredRestarts.length === 0) {
    const d = pollData;
    await insertPollRow(db, d);
    return { pollId: d.id, openedEpisodes: new Map(), openedRuns: new Map() };
  }
  return db.$transaction(async (tx) => {
    const poll = await tx.poll.create({ data: pollData, select: { id: true } });
    const openedEpisodes = new Map<string, number>();
    const openedRuns = new Map<string, number>();
    if (plan.closeEpisodes.length) {
      // Close in groups by time (all share the poll's time).
      await tx.findingEpisode.updateMany({
        where: { id: { in: plan.closeEpisodes.map((e) => e.id) } },
        data: { closedAt: row.polledAt, lastSeenAt: row.polledAt },
      });
    }
    if (plan.openEpisodes.length) {
      const created = await tx.findingEpisode.createManyAndReturn({
        data: plan.openEpisodes.map((e) => ({
          project: e.project,
          source: e.source,
          kind: e.kind,
          subject: e.subject,
          openedAt: e.openedAt,
          lastSeenAt: e.openedAt,
          detail: JSON.stringify(e.detail),
          simulated: row.simulated,
        })),
        select: { id: true, project: true, source: true, kind: true, subject: true },
      });
      for (const c of created) openedEpisodes.set(episodeKey(c), c.id);
    }
    for (const r of plan.closeRuns)
      await tx.checkRun.update({ where: { id: r.id }, data: { endSeq: r.endSeq } });
    if (plan.openRuns.length) {
      const created = await tx.checkRun.createManyAndReturn({
        data: plan.openRuns,
        select: { id: true, project: true, source: true },
      });
      for (const c of created) openedRuns.set(runKey(c.project, c.source), c.id);
    }
    if (plan.newContainers.length) {
      await tx.container.createMany({
        data: plan.newContainers.map(({ container: c, labelIssues }) => ({
          id: c.id,
          project: c.project ?? "",
          name: c.name,
          firstSeenAt: row.polledAt,
          createdAt: new Date(c.createdMs),
          labels: JSON.stringify(c.labels),
          labelIssues: JSON.stringify(labelIssues),
          state: c.state,
          port: c.port,
          lastSeenAt: row.polledAt,
          stoppedAt: c.state === "running" ? null : row.polledAt,
          simulated: row.simulated,
        })),
      });
    }
    for (const c of plan.changedContainers) {
      await tx.container.update({
        where: { id: c.id },
        data: {
          state: c.state,
          port: c.port,
          lastSeenAt: row.polledAt,
          // A container first seen created (or stopped) that runs now was not stopped.
          ...(c.stopped ? { stoppedAt: row.polledAt } : c.state === "running" ? { stoppedAt: null } : {}),
        },
      });
    }
    if (plan.removedContainers.length) {
      await tx.container.updateMany({
        where: { id: { in: plan.removedContainers } },
        data: { removedAt: row.polledAt },
      });
    }
    if (args.recoveredRestarts.length) {
      await tx.restart.updateMany({
        where: { id: { in: args.recoveredRestarts } },
        data: { recoveredAt: row.polledAt },
      });
    }
    return { pollId: poll.id, openedEpisodes, openedRuns };
  });
}

/** Deletes rows older than the retention window, every host's. Open episodes and runs are kept. */
export async function pruneHistory(
  db: Db,
  before: Date,
): Promise<{ polls: number; episodes: number; events: number }> {
  return db.$transaction(async (tx) => {
    const hosts = ["", ...(await tx.host.findMany({ select: { name: true } })).map((h) => h.name)];
    for (const host of hosts) {
      // Runs are counted in each host's reachable-poll sequence.
      const firstKept = await tx.poll.findFirst({
        where: { host, polledAt: { gte: before } },
        orderBy: { id: "asc" },
        select: { seq: true },
      });
      if (firstKept) await tx.checkRun.deleteMany({ where: { host, endSeq: { lt: firstKept.seq } } });
    }
    const polls = await tx.poll.deleteMany({ where: { polledAt: { lt: before } } });
    const episodes = await tx.findingEpisode.deleteMany({ where: { closedAt: { lt: before } } });
    await tx.container.deleteMany({ where: { removedAt: { lt: before } } });
    const events = await tx.readEvent.deleteMany({ where: { at: { lt: before } } });
    await tx.restart.deleteMany({ where: { detectedAt: { lt: before } } });
    return { polls: polls.count, episodes: episodes.count, events: events.count };
  });
}

/** After a poll was committed: the collector's memory of open history follows the plan. */
export function applyRecorded(
  memory: CollectorMemory,
  plan: HistoryPlan,
  recorded: RecordedPoll,
  cumulative: Cumulative,
): void {
  for (const c of plan.closeEpisodes) memory.episodes.delete(c.key);
  for (const e of plan.openEpisodes) {
    const key = episodeKey(e);
    const id = recorded.openedEpisodes.get(key);
    if (id !== undefined)
      memory.episodes.set(key, {
        id,
        project: e.project,
        source: e.source,
        kind: e.kind,
        subject: e.subject,
        openedAt: e.openedAt,
      });
  }
  for (const r of plan.closeRuns) memory.runs.delete(r.key);
  for (const r of plan.openRuns) {
    const key = runKey(r.project, r.source);
    const id = recorded.openedRuns.get(key);
    if (id !== undefined) memory.runs.set(key, { id, ...r });
  }
  for (const { container: c } of plan.newContainers)
    memory.containers.set(c.id, { id: c.id, state: c.state, port: c.port, removed: false });
  for (const c of plan.changedContainers)
    memory.containers.set(c.id, { id: c.id, state: c.state, port: c.port, removed: false });
  for (const id of plan.removedContainers) memory.containers.delete(id);
  memory.cumulative = cumulative;
}
