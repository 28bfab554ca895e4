// A server's storage of its agents' polls (issue 14): each delivery stored whole or not at
// all, idempotent by (host, poll id), and the hosts' latest states. Agent side: the outbox.
import type { Db } from "../db";
import type { AgentPoll, HostRecord, ParsedAgentBatch } from "../contracts/agent";
import type { ApiState } from "../contracts/state";
import { insertPollRow, providerOf, rememberProvider } from "./dialect";

/** The Host row with its state parsed (the type is the contract's; rows are checked against it). */
export type StoredHost = HostRecord;

const parseState = (text: string): ApiState | null => {
  try {
    return JSON.parse(text) as ApiState;
  } catch {
    return null;
  }
};

export async function listHosts(db: Db): Promise<StoredHost[]> {
  const rows = await db.host.findMany({ orderBy: { name: "asc" } });
  return rows.map((r) => ({ ...r, state: parseState(r.state) }));
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

export type BatchResult = { accepted: number; duplicates: number; lastPollId: number; host: StoredHost };

/** Stores one agent delivery in one transaction. Polls already stored are left as they are. */
export async function recordAgentBatch(db: Db, batch: ParsedAgentBatch, now: Date): Promise<BatchResult> {
  const host = batch.host;
  const provider = providerOf(db);
  return db.$transaction(
    async (tx) => {
      rememberProvider(tx, provider);
      const prev = await tx.host.findUnique({ where: { name: host } });
      if (prev?.agentId && batch.agent_id && prev.agentId !== batch.agent_id)
        throw new AgentConflict(
          `host ${JSON.stringify(host)} is already fed by another agent database (its poll ids would collide): ` +
            "if this machine's agent data was wiped or copied, give it a new L9_HOST_NAME",
        );
      let accepted = 0;
      let duplicates = 0;
      let lowest = Number.MAX_SAFE_INTEGER;
      for (const p of batch.polls) {
        const written = await insertPollRow(
          tx,
          {
            host,
            id: p.id,
            polledAt: p.polled_at,
            dockerReachable: p.docker_reachable,
            dockerLatencyMs: p.docker_latency_ms,
            dockerError: p.docker_error,
            durationMs: p.duration_ms,
            intervalMs: p.interval_ms,
            checks: p.checks,
            diverged: p.diverged,
            projects: p.projects,
            kindCounts: JSON.stringify(p.kind_counts),
            seq: p.seq,
            cumChecks: p.cum_checks,
            cumDiverged: p.cum_diverged,
            divergedAck: p.diverged_ack,
            cumDivergedAck: p.cum_diverged_ack,
            cumKinds: JSON.stringify(p.cum_kinds),
            cumCoveredMs: p.cum_covered_ms,
            cumLatencyMs: p.cum_latency_ms,
            simulated: p.simulated,
          },
          true,
        );
        if (written === 0) {
          duplicates += 1;
          continue;
        }
        accepted += 1;
        lowest = Math.min(lowest, p.id);
        if (p.new_containers.length) {
          const known = new Set(
            (
              await tx.container.findMany({
                where: { id: { in: p.new_containers.map((c) => c.id) } },
                select: { id: true },
              })
            ).map((c) => c.id),
          );
          const fresh = p.new_containers.filter((c) => !known.has(c.id));
          if (fresh.length)
            await tx.container.createMany({
              data: fresh.map((c) => ({
                id: c.id,
                host,
                project: c.project,
                name: c.name,
                firstSeenAt: p.polled_at,
                createdAt: c.created,
                labels: JSON.stringify(c.labels),
                labelIssues: JSON.stringify(c.label_issues),
                state: c.state,
                port: c.port,
                lastSeenAt: p.polled_at,
                stoppedAt: c.state === "running" ? null : p.polled_at,
                simulated: p.simulated,
              })),
            });
        }
        if (p.episodes_closed.length)
          await tx.findingEpisode.updateMany({
            where: { host, ref: { in: p.episodes_closed }, closedAt: null },
            data: { closedAt: p.polled_at, lastSeenAt: p.polled_at },
          });
        for (const r of p.runs_closed)
          await tx.checkRun.updateMany({ where: { host, ref: r.ref }, data: { endSeq: r.end_seq } });
        if (p.runs_opened.length) {
          const known = new Set(
            (
              await tx.checkRun.findMany({
                where: { host, ref: { in: p.runs_opened.map((r) => r.ref) } },
                select: { ref: true },
              })
            ).map((r) => r.ref),
          );
          const fresh = p.runs_opened.filter((r) => !known.has(r.ref));
          if (fresh.length)
            await tx.checkRun.createMany({
              data: fresh.map((r) => ({
                host,
                ref: r.ref,
                project: r.project,
                source: r.source,
                diverged: r.diverged,
                startSeq: r.start_seq,
              })),
            });
        }
        if (p.read_events.length) {
          const known = new Set(
            (
              await tx.readEvent.findMany({
                where: { host, ref: { in: p.read_events.map((e) => e.ref) } },
                select: { ref: true },
              })
            ).map((e) => e.ref),
          );
          const fresh = p.read_events.filter((e) => !known.has(e.ref));
          if (fresh.length)
            await tx.readEvent.createMany({
              data: fresh.map((e) => ({
                host,
                ref: e.ref,
                instanceId: e.instance_id,
                at: e.at,
                project: e.project,
                servedBy: e.served_by,
                dockerOk: e.docker_ok,
                latencyMs: e.latency_ms,
                simulated: p.simulated,
              })),
            });
        }
        for (const r of p.restarts) {
          const data = {
            instanceId: r.instance_id,
            previousInstanceId: r.previous_instance_id,
            previousStartedAt: r.previous_started_at,
            startedAt: r.started_at,
            detectedAt: r.detected_at,
            reason: r.reason,
            recoveredAt: r.recovered_at,
            simulated: p.simulated,
          };
          await tx.restart.upsert({
            where: { host_ref: { host, ref: r.ref } },
            create: { host, ref: r.ref, ...data },
            update: data,
          });
        }
        if (p.episodes_opened.length) {
          const known = new Set(
            (
              await tx.findingEpisode.findMany({
                where: { host, ref: { in: p.episodes_opened.map((e) => e.ref) } },
                select: { ref: true },
              })
            ).map((e) => e.ref),
          );
          const fresh = p.episodes_opened.filter((e) => !known.has(e.ref));
          if (fresh.length)
            await tx.findingEpisode.createMany({
              data: fresh.map((e) => ({
                host,
                ref: e.ref,
                project: e.project,
                source: e.source,
                kind: e.kind,
                subject: e.subject,
                openedAt: e.opened_at,
                lastSeenAt: e.opened_at,
                detail: JSON.stringify(e.detail),
                simulated: p.simulated,
              })),
            });
        }
      }
      const newest = batch.polls.reduce((a, b) => (b.id > a.id ? b : a));
      const advance = !prev || newest.id >= prev.lastPollId;
      const withState = [...batch.polls].reverse().find((p) => p.state !== null);
      const stateText =
        withState && (!prev || withState.id >= prev.lastPollId) ? JSON.stringify(withState.state) : null;
      const data = {
        ...(batch.agent_id ? { agentId: batch.agent_id } : {}),
        agentVersion: batch.agent_version,
        receivedAt: now,
        buffered: batch.buffered,
        dropped: batch.dropped,
        ...(advance ? { lastPollId: newest.id, lastPolledAt: newest.polled_at } : {}),
        ...(stateText ? { state: stateText } : {}),
      };
      const counts = accepted
        ? {
            pollsStored: (prev?.pollsStored ?? 0) + accepted,
            firstPollId: prev?.pollsStored ? Math.min(prev.firstPollId, lowest) : lowest,
          }
        : {};
      const row = prev
        ? await tx.host.update({ where: { name: host }, data: { ...data, ...counts } })
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
        host: { ...row, state: parseState(row.state) },
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
export async function enqueueOutbox(
  db: Db,
  message: AgentPoll,
  at: Date,
  max: number,
  recoveredRestarts: readonly number[] = [],
): Promise<number> {
  await db.$transaction(async (tx) => {
    const cursors = new Map((await tx.agentCursor.findMany()).map((c) => [c.name, c.value] as const));
    const reads = await tx.readEvent.findMany({
      where: { host: "", id: { gt: cursors.get("read_events") ?? 0 } },
      orderBy: { id: "asc" },
      take: READS_PER_MESSAGE,
    });
    const restartCursor = cursors.get("restarts") ?? 0;
    const restarts = await tx.restart.findMany({
      where: { host: "", OR: [{ id: { gt: restartCursor } }, { id: { in: [...recoveredRestarts] } }] },
      orderBy: { id: "asc" },
    });
    const body: AgentPoll = {
      ...message,
      read_events: reads.map((e) => ({
        ref: e.id,
        instance_id: e.instanceId,
        at: e.at.toISOString(),
        project: e.project,
        served_by: e.servedBy,
        docker_ok: e.dockerOk,
        latency_ms: e.latencyMs,
      })),
      restarts: restarts.map((r) => ({
        ref: r.id,
        instance_id: r.instanceId,
        previous_instance_id: r.previousInstanceId,
        previous_started_at: r.previousStartedAt?.toISOString() ?? null,
        started_at: r.startedAt.toISOString(),
        detected_at: r.detectedAt.toISOString(),
        reason: r.reason,
        recovered_at: r.recoveredAt?.toISOString() ?? null,
      })),
    };
    const text = JSON.stringify(body);
    await tx.outbox.upsert({
      where: { pollId: message.id },
      create: { pollId: message.id, body: text, createdAt: at },
      update: { body: text },
    });
    const lastRead = reads.at(-1)?.id;
    if (lastRead !== undefined)
      await tx.agentCursor.upsert({
        where: { name: "read_events" },
        create: { name: "read_events", value: lastRead },
        update: { value: lastRead },
      });
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
