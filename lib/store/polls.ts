// Storage of polls: the collector's memory of open history, and recordPoll, which writes one
// poll record (lib/contracts/agent.ts) for any host whole or not at all (one transaction).
// This machine's rows (host "") are keyed by their ids; an agent's by the refs it sent.
import { inTransaction, type Db } from "../db";
import { insertPollRow } from "./dialect";
import { dropPollsBefore, ensurePollPartitions, rollUpPolls } from "./dialect-pg";
import { summaryOnly, withRefs, writePoll } from "./poll-write";
import { pruneModeChanges } from "./modes";
import { pollFromRow } from "./poll-row";
import {
  episodeKey,
  runKey,
  type HistoryPlan,
  type KnownContainer,
  type OpenEpisode,
  type OpenRun,
} from "../core/history";
import type { PollRecord, PollSummary, PollToRecord } from "../contracts/agent";

export { writePoll } from "./poll-write";

export type CollectorMemory = {
  episodes: Map<string, OpenEpisode>;
  runs: Map<string, OpenRun>;
  containers: Map<string, KnownContainer>;
  /** the last stored poll (the next takes its id + 1 and continues its totals) */
  last: PollSummary | null;
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
    last: last ? pollFromRow(last) : null,
  };
}

/**
 * Stores one poll of `host` whole or not at all. Returns the record as stored, the episodes and
 * runs it opened with their refs; null when the host's poll of that id was stored before.
 */
export async function recordPoll(db: Db, host: string, poll: PollToRecord): Promise<PollRecord | null> {
  // Steady state (nothing changed): the summary row alone, one statement, atomic by itself.
  if (summaryOnly(poll)) return (await insertPollRow(db, host, poll, host !== "")) ? withRefs(poll) : null;
  return inTransaction(db, (tx) => writePoll(tx, host, poll));
}

/** Deletes rows older than the retention window, every host's. Open episodes and runs are kept. */
export async function pruneHistory(
  db: Db,
  before: Date,
): Promise<{ polls: number; episodes: number; events: number; modeChanges: number }> {
  // PostgreSQL: polls go by whole day partitions, so they are kept until their day is past.
  const pollsBefore =
    db.dialect === "postgresql" ? new Date(Math.floor(before.getTime() / 86400_000) * 86400_000) : before;
  // Each DROP is atomic by itself: outside the transaction, so inserts wait for no count.
  const dropped = db.dialect === "postgresql" ? (await dropPollsBefore(db, pollsBefore)).polls : 0;
  return db.$transaction(async (tx) => {
    const hosts = ["", ...(await tx.host.findMany({ select: { name: true } })).map((h) => h.name)];
    for (const host of hosts) {
      // Runs are counted in each host's reachable-poll sequence.
      const firstKept = await tx.poll.findFirst({
        where: { host, polledAt: { gte: pollsBefore } },
        orderBy: { id: "asc" },
        select: { seq: true },
      });
      if (firstKept) await tx.checkRun.deleteMany({ where: { host, endSeq: { lt: firstKept.seq } } });
    }
    const polls = await tx.poll.deleteMany({ where: { polledAt: { lt: pollsBefore } } });
    const episodes = await tx.findingEpisode.deleteMany({ where: { closedAt: { lt: before } } });
    await tx.container.deleteMany({ where: { removedAt: { lt: before } } });
    const events = await tx.readEvent.deleteMany({ where: { at: { lt: before } } });
    await tx.restart.deleteMany({ where: { detectedAt: { lt: before } } });
    // Issue 25: each process heard from since keeps its last change before the cut.
    const modeChanges = await pruneModeChanges(tx, before);
    return { polls: dropped + polls.count, episodes: episodes.count, events: events.count, modeChanges };
  });
}

/**
 * PostgreSQL's hourly upkeep of "Poll" (with retention): the coming days' partitions, and the
 * roll-ups of old polls. Nothing on SQLite. Returns rows rolled up.
 */
export async function maintainPolls(db: Db, now: Date): Promise<number> {
  if (db.dialect !== "postgresql") return 0;
  await ensurePollPartitions(db, now);
  const n = await rollUpPolls(db, now);
  return n.minute + n.hour;
}

/** After a poll was committed: the collector's memory of open history follows it. */
export function applyRecorded(memory: CollectorMemory, plan: HistoryPlan, stored: PollRecord): void {
  for (const c of plan.closeEpisodes) memory.episodes.delete(c.key);
  for (const e of stored.episodes_opened)
    memory.episodes.set(episodeKey(e), {
      id: e.ref,
      project: e.project,
      source: e.source,
      kind: e.kind,
      subject: e.subject,
      openedAt: e.opened_at,
    });
  for (const r of plan.closeRuns) memory.runs.delete(r.key);
  for (const r of stored.runs_opened)
    memory.runs.set(runKey(r.project, r.source), {
      id: r.ref,
      project: r.project,
      source: r.source,
      diverged: r.diverged,
      startSeq: r.start_seq,
    });
  for (const c of [...stored.new_containers, ...stored.containers_changed])
    memory.containers.set(c.id, { id: c.id, state: c.state, port: c.port, removed: false });
  for (const id of stored.containers_removed) memory.containers.delete(id);
  memory.last = stored;
}
