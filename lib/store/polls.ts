// Storage of polls: the collector's memory of open history, and recordPoll, which writes one
// poll record (lib/contracts/agent.ts) for any host whole or not at all (one transaction).
// This machine's rows (host "") are keyed by their ids; an agent's by the refs it sent.
import { inTransaction, type Db, type Tx } from "../db";
import { insertPollRow } from "./dialect";
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

/** Whether a poll changes nothing but its summary row (the steady state). */
const summaryOnly = (p: PollToRecord) =>
  !p.new_containers.length &&
  !p.containers_changed.length &&
  !p.containers_removed.length &&
  !p.episodes_opened.length &&
  !p.episodes_closed.length &&
  !p.runs_opened.length &&
  !p.runs_closed.length &&
  !p.read_events.length &&
  !p.restarts.length &&
  !p.restarts_recovered.length;

/**
 * Stores one poll of `host` whole or not at all. Returns the record as stored, the episodes and
 * runs it opened with their refs; null when the host's poll of that id was stored before.
 */
export async function recordPoll(db: Db, host: string, poll: PollToRecord): Promise<PollRecord | null> {
  // Steady state (nothing changed): the summary row alone, one statement, atomic by itself.
  if (summaryOnly(poll)) return (await insertPollRow(db, host, poll, host !== "")) ? withRefs(poll) : null;
  return inTransaction(db, (tx) => writePoll(tx, host, poll));
}

/** A poll without opened rows has nothing to number. */
const withRefs = (p: PollToRecord): PollRecord => ({ ...p, episodes_opened: [], runs_opened: [] });

/**
 * Rows not stored yet, created in one statement: an agent's resend, or a row another
 * delivery already brought, is stored once (by its key: a ref, or a container's id).
 */
async function createFresh<T, K>(
  items: readonly T[],
  keyOf: (item: T) => K,
  stored: (keys: K[]) => Promise<K[]>,
  create: (fresh: T[]) => Promise<unknown>,
): Promise<void> {
  if (!items.length) return;
  const known = new Set(await stored(items.map(keyOf)));
  const fresh = items.filter((i) => !known.has(keyOf(i)));
  if (fresh.length) await create(fresh);
}

const refs = (rows: { ref: number | null }[]) => rows.flatMap((r) => (r.ref === null ? [] : [r.ref]));
const hasRef = <T extends { ref?: number }>(x: T): x is T & { ref: number } => x.ref !== undefined;

/** One poll's rows inside a transaction (recordAgentBatch writes many in one). */
export async function writePoll(tx: Tx, host: string, p: PollToRecord): Promise<PollRecord | null> {
  const local = host === "";
  if ((await insertPollRow(tx, host, p, !local)) === 0) return null;
  const at = p.polled_at;
  const sim = p.simulated;
  await createFresh(
    p.new_containers,
    (c) => c.id,
    async (ids) =>
      (await tx.container.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((c) => c.id),
    (fresh) =>
      tx.container.createMany({
        data: fresh.map((c) => ({
          id: c.id,
          host,
          project: c.project,
          name: c.name,
          firstSeenAt: at,
          createdAt: c.created,
          labels: JSON.stringify(c.labels),
          labelIssues: JSON.stringify(c.label_issues),
          state: c.state,
          port: c.port,
          lastSeenAt: at,
          stoppedAt: c.state === "running" ? null : at,
          simulated: sim,
        })),
      }),
  );
  for (const c of p.containers_changed)
    await tx.container.updateMany({
      where: { id: c.id, host },
      data: {
        state: c.state,
        port: c.port,
        lastSeenAt: at,
        // A container first seen created (or stopped) that runs now was not stopped.
        ...(c.stopped ? { stoppedAt: at } : c.state === "running" ? { stoppedAt: null } : {}),
      },
    });
  if (p.containers_removed.length)
    await tx.container.updateMany({
      where: { host, id: { in: p.containers_removed } },
      data: { removedAt: at },
    });
  // This machine's rows are named by id, an agent's by the ref (its own id) it sent.
  const named = (ids: number[]) => (local ? { id: { in: ids } } : { ref: { in: ids } });
  if (p.episodes_closed.length)
    await tx.findingEpisode.updateMany({
      where: { host, ...named(p.episodes_closed), closedAt: null },
      data: { closedAt: at, lastSeenAt: at },
    });
  for (const r of p.runs_closed)
    await tx.checkRun.updateMany({ where: { host, ...named([r.ref]) }, data: { endSeq: r.end_seq } });
  const runRow = (r: PollToRecord["runs_opened"][number]) => ({
    host,
    ref: local ? null : (r.ref ?? null),
    project: r.project,
    source: r.source,
    diverged: r.diverged,
    startSeq: r.start_seq,
  });
  const episodeRow = (e: PollToRecord["episodes_opened"][number]) => ({
    host,
    ref: local ? null : (e.ref ?? null),
    project: e.project,
    source: e.source,
    kind: e.kind,
    subject: e.subject,
    openedAt: e.opened_at,
    lastSeenAt: e.opened_at,
    detail: JSON.stringify(e.detail),
    simulated: sim,
  });
  let runsOpened: PollRecord["runs_opened"];
  let episodesOpened: PollRecord["episodes_opened"];
  if (local) {
    // Numbered by the database: the ids are the refs an agent sends its server.
    const runIds = new Map(
      (p.runs_opened.length
        ? await tx.checkRun.createManyAndReturn({
            data: p.runs_opened.map(runRow),
            select: { id: true, project: true, source: true },
          })
        : []
      ).map((c) => [runKey(c.project, c.source), c.id]),
    );
    runsOpened = p.runs_opened.flatMap((r) => {
      const ref = runIds.get(runKey(r.project, r.source));
      return ref === undefined ? [] : [{ ...r, ref }];
    });
    const episodeIds = new Map(
      (p.episodes_opened.length
        ? await tx.findingEpisode.createManyAndReturn({
            data: p.episodes_opened.map(episodeRow),
            select: { id: true, project: true, source: true, kind: true, subject: true },
          })
        : []
      ).map((c) => [episodeKey(c), c.id]),
    );
    episodesOpened = p.episodes_opened.flatMap((e) => {
      const ref = episodeIds.get(episodeKey(e));
      return ref === undefined ? [] : [{ ...e, ref }];
    });
  } else {
    runsOpened = p.runs_opened.filter(hasRef);
    episodesOpened = p.episodes_opened.filter(hasRef);
    await createFresh(
      runsOpened,
      (r) => r.ref,
      async (ids) =>
        refs(await tx.checkRun.findMany({ where: { host, ref: { in: ids } }, select: { ref: true } })),
      (fresh) => tx.checkRun.createMany({ data: fresh.map(runRow) }),
    );
  }
  await createFresh(
    p.read_events,
    (e) => e.ref,
    async (ids) =>
      refs(await tx.readEvent.findMany({ where: { host, ref: { in: ids } }, select: { ref: true } })),
    (fresh) =>
      tx.readEvent.createMany({
        data: fresh.map((e) => ({
          host,
          ref: e.ref,
          instanceId: e.instance_id,
          at: e.at,
          project: e.project,
          servedBy: e.served_by,
          dockerOk: e.docker_ok,
          latencyMs: e.latency_ms,
          simulated: sim,
        })),
      }),
  );
  for (const r of p.restarts) {
    const data = {
      instanceId: r.instance_id,
      previousInstanceId: r.previous_instance_id,
      previousStartedAt: r.previous_started_at,
      startedAt: r.started_at,
      detectedAt: r.detected_at,
      reason: r.reason,
      recoveredAt: r.recovered_at,
      simulated: sim,
    };
    await tx.restart.upsert({
      where: { host_ref: { host, ref: r.ref } },
      create: { host, ref: r.ref, ...data },
      update: data,
    });
  }
  if (p.restarts_recovered.length)
    await tx.restart.updateMany({
      where: { host, ...named(p.restarts_recovered) },
      data: { recoveredAt: at },
    });
  if (!local)
    await createFresh(
      episodesOpened,
      (e) => e.ref,
      async (ids) =>
        refs(await tx.findingEpisode.findMany({ where: { host, ref: { in: ids } }, select: { ref: true } })),
      (fresh) => tx.findingEpisode.createMany({ data: fresh.map(episodeRow) }),
    );
  return { ...p, runs_opened: runsOpened, episodes_opened: episodesOpened };
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
