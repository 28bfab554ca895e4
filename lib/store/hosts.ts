// A server's storage of its agents' polls (issue 14): each delivery stored whole or not at
// all, idempotent by (host, poll id), and the hosts' latest states. Agent side: the outbox.
import { inTransaction, type Db } from "../db";
import { parseHostState, type HostRecord, type ParsedAgentBatch, type PollRecord } from "../contracts/agent";
import type { ApiState } from "../contracts/state";
import { writePoll } from "./poll-write";
import { nextHostState, withHead } from "./host-state";
import { outboxModes, recordHostModes } from "./modes";

/** The Host row with its state parsed (the type is the contract's; rows are checked against it). */
export type StoredHost = HostRecord;

/** A host's stored state, checked against the schema its agent's delivery passed; null if none. */
const parseState = (text: string, head = ""): ApiState | null => {
  try {
    return parseHostState(withHead(JSON.parse(text) as object | null, head));
  } catch {
    return null;
  }
};

/** Every host that ever sent a poll, by name. */
export async function hostNames(db: Db): Promise<string[]> {
  return (await db.host.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((h) => h.name);
}

/** One host's stored state with its newest head (null: no host or no state). */
export async function getHostState(db: Db, name: string): Promise<ApiState | null> {
  const row = await db.host.findUnique({ where: { name }, select: { state: true, stateHead: true } });
  return row ? parseState(row.state, row.stateHead) : null;
}

/** One host's row with its state (null: no such host). */
export async function getHost(db: Db, name: string): Promise<StoredHost | null> {
  const r = await db.host.findUnique({ where: { name } });
  return r ? { ...r, state: parseState(r.state, r.stateHead) } : null;
}

export async function listHosts(db: Db): Promise<StoredHost[]> {
  const rows = await db.host.findMany({ orderBy: { name: "asc" } });
  return rows.map((r) => ({ ...r, state: parseState(r.state, r.stateHead) }));
}

/**
 * A delivery from a second agent database under a known host name. Recognised by `name`: the
 * fleet may run in another bundle's copy of this module, where `instanceof` fails.
 */
export class AgentConflict extends Error {
  override name = "AgentConflict";
}
export const isAgentConflict = (err: unknown): err is AgentConflict =>
  err instanceof Error && err.name === "AgentConflict";

/** `head`: an unchanged-state delivery's head, laid over the state the caller holds (host.state null). */
export type BatchResult = {
  accepted: number;
  duplicates: number;
  lastPollId: number;
  host: StoredHost;
  head?: Record<string, unknown>;
};

/** Stores one agent delivery in one transaction. Polls already stored are left as they are. */
export async function recordAgentBatch(db: Db, batch: ParsedAgentBatch, now: Date): Promise<BatchResult> {
  const host = batch.host;
  return inTransaction(
    db,
    async (tx) => {
      // Not the state text: an unchanged-state delivery never reads it.
      const prev = await tx.host.findUnique({ where: { name: host }, omit: { state: true } });
      if (prev?.agentId && batch.agent_id && prev.agentId !== batch.agent_id)
        throw new AgentConflict(
          `host ${JSON.stringify(host)} is already fed by another agent database (its poll ids would collide): ` +
            "if this machine's agent data was wiped or copied, give it a new L9_HOST_NAME",
        );
      const next = nextHostState(prev, batch.polls);
      const stateText = next?.kind === "full" ? JSON.stringify(next.state) : null;
      let accepted = 0;
      let duplicates = 0;
      let lowest = Number.MAX_SAFE_INTEGER;
      for (const p of batch.polls) {
        if (!(await writePoll(tx, host, p))) {
          duplicates += 1;
          continue;
        }
        accepted += 1;
        lowest = Math.min(lowest, p.id);
      }
      // Issue 25: absolute values (newest wins) and changes by ref: stored whatever was a duplicate.
      await recordHostModes(tx, host, batch.polls);
      const newest = batch.polls.reduce((a, b) => (b.id > a.id ? b : a));
      const advance = !prev || newest.id >= prev.lastPollId;
      const data = {
        ...(batch.agent_id ? { agentId: batch.agent_id } : {}),
        agentVersion: batch.agent_version,
        receivedAt: now,
        buffered: batch.buffered,
        dropped: batch.dropped,
        ...(advance ? { lastPollId: newest.id, lastPolledAt: newest.polled_at } : {}),
        ...(next?.kind === "full" ? { state: stateText!, stateHash: next.hash, stateHead: "" } : {}),
        ...(next?.kind === "head" ? { stateHead: JSON.stringify(next.head) } : {}),
      };
      const counts = accepted
        ? {
            pollsStored: (prev?.pollsStored ?? 0) + accepted,
            firstPollId: prev?.pollsStored ? Math.min(prev.firstPollId, lowest) : lowest,
          }
        : {};
      const row = prev
        ? await tx.host.update({ where: { name: host }, data: { ...data, ...counts }, omit: { state: true } })
        : await tx.host.create({
            data: {
              name: host,
              firstSeenAt: now,
              lastPollId: newest.id,
              lastPolledAt: newest.polled_at,
              state: stateText ?? "null",
              ...data,
              ...counts,
            },
          });
      return {
        accepted,
        duplicates,
        lastPollId: row.lastPollId,
        host: { ...row, state: next?.kind === "full" ? parseHostState(next.state) : null },
        ...(next?.kind === "head" ? { head: next.head } : {}),
      };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

// ---- agent side: the disk buffer -------------------------------------------------------

const READS_PER_MESSAGE = 20_000;

/**
 * Adds a poll's message, with the read events and restarts stored since the previous one
 * (the cursors move in the same transaction, so each is buffered exactly once); beyond `max`
 * rows the oldest are dropped. Returns how many were dropped.
 */
export async function enqueueOutbox(db: Db, message: PollRecord, max: number): Promise<number> {
  await db.$transaction(async (tx) => {
    const cursors = new Map((await tx.agentCursor.findMany()).map((c) => [c.name, c.value] as const));
    const reads = await tx.readEvent.findMany({
      where: { host: "", id: { gt: cursors.get("read_events") ?? 0 } },
      orderBy: { id: "asc" },
      take: READS_PER_MESSAGE,
    });
    const restartCursor = cursors.get("restarts") ?? 0;
    const restarts = await tx.restart.findMany({
      where: { host: "", OR: [{ id: { gt: restartCursor } }, { id: { in: message.restarts_recovered } }] },
      orderBy: { id: "asc" },
    });
    // Issue 25: processes heard from and mode changes since the previous message, with the poll,
    // not the state (a hash-only delivery still brings them).
    const modes = await outboxModes(tx, {
      processesS: cursors.get("processes_s") ?? 0,
      modeChanges: cursors.get("mode_changes") ?? 0,
    });
    const body: PollRecord = {
      ...message,
      read_events: reads.map((e) => ({
        ref: e.id,
        instance_id: e.instanceId,
        at: e.at,
        project: e.project,
        served_by: e.servedBy,
        docker_ok: e.dockerOk,
        latency_ms: e.latencyMs,
        cache_age_ms: e.cacheAgeMs,
        fallback_via: e.fallbackVia,
      })),
      restarts: restarts.map((r) => ({
        ref: r.id,
        instance_id: r.instanceId,
        previous_instance_id: r.previousInstanceId,
        previous_started_at: r.previousStartedAt,
        started_at: r.startedAt,
        detected_at: r.detectedAt,
        reason: r.reason,
        recovered_at: r.recoveredAt,
      })),
      processes: modes.processes,
      mode_changes: modes.mode_changes,
    };
    const text = JSON.stringify(body);
    await tx.outbox.upsert({
      where: { pollId: message.id },
      create: { pollId: message.id, body: text, createdAt: message.polled_at },
      update: { body: text },
    });
    const lastRead = reads.at(-1)?.id;
    if (lastRead !== undefined)
      await tx.agentCursor.upsert({
        where: { name: "read_events" },
        create: { name: "read_events", value: lastRead },
        update: { value: lastRead },
      });
    for (const [name, value, was] of [
      ["processes_s", modes.processesS, cursors.get("processes_s")],
      ["mode_changes", modes.modeChanges, cursors.get("mode_changes")],
    ] as const)
      if (value !== was && value > 0)
        await tx.agentCursor.upsert({ where: { name }, create: { name, value }, update: { value } });
    const lastRestart = restarts.reduce((m, r) => Math.max(m, r.id), restartCursor);
    if (lastRestart > restartCursor)
      await tx.agentCursor.upsert({
        where: { name: "restarts" },
        create: { name: "restarts", value: lastRestart },
        update: { value: lastRestart },
      });
  });
  const n = await db.outbox.count();
  if (n <= max) return 0;
  const cut = await db.outbox.findMany({
    orderBy: { pollId: "asc" },
    take: n - max,
    select: { pollId: true },
  });
  const last = cut.at(-1)?.pollId;
  if (last === undefined) return 0;
  const res = await db.outbox.deleteMany({ where: { pollId: { lte: last } } });
  return res.count;
}

export async function peekOutbox(db: Db, limit: number): Promise<{ pollId: number; body: string }[]> {
  return db.outbox.findMany({
    orderBy: { pollId: "asc" },
    take: limit,
    select: { pollId: true, body: true },
  });
}

export async function ackOutbox(db: Db, upTo: number): Promise<void> {
  await db.outbox.deleteMany({ where: { pollId: { lte: upTo } } });
}

export const outboxSize = (db: Db) => db.outbox.count();

/** This agent database's random id, made once and kept (AgentCursor "agent_id"). */
export async function agentId(db: Db): Promise<number> {
  const row = await db.agentCursor.findUnique({ where: { name: "agent_id" } });
  if (row) return row.value;
  const value = 1 + Math.floor(Math.random() * 2_147_483_646);
  const made = await db.agentCursor.upsert({
    where: { name: "agent_id" },
    create: { name: "agent_id", value },
    update: {},
  });
  return made.value;
}

/** After pruning: each host's stored-poll count and oldest id, counted again (hourly). */
export async function recountHostPolls(db: Db): Promise<void> {
  const rows = await db.poll.groupBy({
    by: ["host"],
    where: { host: { not: "" } },
    _count: { _all: true },
    _min: { id: true },
  });
  for (const r of rows)
    await db.host.updateMany({
      where: { name: r.host },
      data: { pollsStored: r._count._all, firstPollId: r._min.id ?? 0 },
    });
}
