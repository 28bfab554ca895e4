// Issue 25: the processes' modes over time (for a phase's time in its mode), the live ones now
// (for a review's warnings), mode rollbacks, and the legacy-read counts the processes sent.
import type { Db, Tx } from "../db";
import { isMode, type LiveMode, type ProcessModes } from "../core/modes";
import { LOCAL, type HostScope } from "./history";
import { legacyReadsSchema, type LegacyReads } from "../contracts/modes";
import type { PollRecord } from "../contracts/agent";
import { MODE_CHANGES_PER_PROCESS, modeChangesToPrune, overCap, processKey } from "../core/mode-retention";

type ModeTables = Pick<Tx, "instance" | "modeChange">;

/** Every process heard from in [from, to], with each mode it reported (the last one before `from` too). */
export async function getProcessModes(
  db: Db,
  from: Date,
  to: Date,
  hosts: HostScope = LOCAL,
): Promise<ProcessModes[]> {
  const instances = await db.instance.findMany({
    where: { host: { in: [...hosts] }, lastSeenAt: { gte: from }, firstSeenAt: { lte: to } },
    select: { host: true, instanceId: true, firstSeenAt: true, lastSeenAt: true, endedAt: true },
  });
  if (instances.length === 0) return [];
  const changes = await db.modeChange.findMany({
    where: {
      host: { in: [...new Set(instances.map((i) => i.host))] },
      instanceId: { in: [...new Set(instances.map((i) => i.instanceId))] },
      at: { lte: to },
    },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { host: true, instanceId: true, at: true, mode: true },
  });
  // Instance ids are each host's own: a process is its host and id.
  const byProcess = new Map<string, ProcessModes["changes"]>();
  for (const c of changes) {
    const k = processKey(c.host, c.instanceId);
    const list = byProcess.get(k) ?? [];
    list.push({ at: c.at.getTime(), mode: isMode(c.mode) ? c.mode : null });
    byProcess.set(k, list);
  }
  return instances.map((i) => ({
    instanceId: i.host ? `${i.host}/${i.instanceId}` : i.instanceId,
    liveFrom: i.firstSeenAt.getTime(),
    liveTo: (i.endedAt ?? i.lastSeenAt).getTime(),
    changes: byProcess.get(processKey(i.host, i.instanceId)) ?? [],
  }));
}

/** Processes live now: not ended, heard from within the stale threshold. */
export async function getLiveModes(
  db: Db,
  now: Date,
  staleMs: number,
  hosts: HostScope = LOCAL,
): Promise<LiveMode[]> {
  const rows = await db.instance.findMany({
    where: {
      host: { in: [...hosts] },
      endedAt: null,
      lastSeenAt: { gte: new Date(now.getTime() - staleMs) },
    },
    select: { instanceId: true, host: true, mode: true, codeVersion: true },
    orderBy: { instanceId: "asc" },
  });
  return rows.map((r) => ({
    instance_id: r.instanceId,
    ...(r.host ? { host: r.host } : {}),
    mode: isMode(r.mode) ? r.mode : null,
    code_version: r.codeVersion,
  }));
}

export type ModeRollback = {
  at: string;
  instance_id: string;
  /** on a server: the host whose process it is */
  host?: string;
  from: string | null;
  to: string | null;
};

export async function modeRollbacksBetween(
  db: Db,
  from: Date,
  to: Date,
  hosts: HostScope = LOCAL,
): Promise<ModeRollback[]> {
  const rows = await db.modeChange.findMany({
    where: { host: { in: [...hosts] }, rollback: true, at: { gte: from, lte: to } },
    orderBy: { at: "asc" },
    take: 500,
  });
  return rows.map((r) => ({
    at: r.at.toISOString(),
    instance_id: r.instanceId,
    ...(r.host ? { host: r.host } : {}),
    from: r.previousMode,
    to: r.mode,
  }));
}

/** The legacy-read counts of every process heard from since `from` (parsed, not cast). */
export async function getLegacyReads(
  db: Db,
  from: Date,
  hosts: HostScope = LOCAL,
): Promise<(LegacyReads & { instanceId: string })[]> {
  const rows = await db.instance.findMany({
    where: { host: { in: [...hosts] }, lastSeenAt: { gte: from }, legacyReads: { not: null } },
    select: { host: true, instanceId: true, legacyReads: true },
  });
  const out: (LegacyReads & { instanceId: string })[] = [];
  for (const r of rows) {
    const parsed = legacyReadsSchema.safeParse(JSON.parse(r.legacyReads ?? "null"));
    if (parsed.success)
      out.push({ instanceId: r.host ? `${r.host}/${r.instanceId}` : r.instanceId, ...parsed.data });
  }
  return out;
}

// ---- bounded history -----------------------------------------------------------------

/** Keeps each named process of `host` within MODE_CHANGES_PER_PROCESS changes (the oldest go). */
export async function capModeChanges(
  db: ModeTables,
  host: string,
  instanceIds: readonly string[],
  cap: number = MODE_CHANGES_PER_PROCESS,
): Promise<number> {
  let removed = 0;
  for (const instanceId of new Set(instanceIds)) {
    const excess = overCap(await db.modeChange.count({ where: { host, instanceId } }), cap);
    if (excess === 0) continue;
    const oldest = await db.modeChange.findMany({
      where: { host, instanceId },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      take: excess,
      select: { id: true },
    });
    removed += (await db.modeChange.deleteMany({ where: { id: { in: oldest.map((o) => o.id) } } })).count;
  }
  return removed;
}

const DELETE_CHUNK = 5000;

/**
 * Retention (the hourly prune): changes older than `before` go, but each process heard from
 * since keeps its last one before the cut (its mode at the window's start). Every host's.
 */
export async function pruneModeChanges(db: ModeTables, before: Date): Promise<number> {
  const older = await db.modeChange.findMany({
    where: { at: { lt: before } },
    select: { id: true, host: true, instanceId: true, at: true },
  });
  if (older.length === 0) return 0;
  const heard = await db.instance.findMany({
    where: { lastSeenAt: { gte: before } },
    select: { host: true, instanceId: true },
  });
  const ids = modeChangesToPrune(
    older.map((c) => ({ ...c, at: c.at.getTime() })),
    new Set(heard.map((i) => processKey(i.host, i.instanceId))),
  );
  let n = 0;
  for (let i = 0; i < ids.length; i += DELETE_CHUNK)
    n += (await db.modeChange.deleteMany({ where: { id: { in: ids.slice(i, i + DELETE_CHUNK) } } })).count;
  return n;
}

// ---- a server's hosts (issue 25 on a team server) ------------------------------------------

type Process = PollRecord["processes"][number];

/**
 * A delivery's processes and mode changes, on the server under `host`: each process's newest
 * report (a resend or an older poll never takes a process back), each change once by its ref.
 */
export async function recordHostModes(
  tx: ModeTables,
  host: string,
  polls: readonly Pick<PollRecord, "processes" | "mode_changes" | "simulated">[],
): Promise<void> {
  const newest = new Map<string, Process & { simulated: boolean }>();
  for (const p of polls)
    for (const proc of p.processes) {
      const seen = newest.get(proc.instance_id);
      if (!seen || proc.last_seen_at >= seen.last_seen_at)
        newest.set(proc.instance_id, { ...proc, simulated: p.simulated });
    }
  if (newest.size) {
    const stored = new Map(
      (
        await tx.instance.findMany({
          where: { host, instanceId: { in: [...newest.keys()] } },
          select: { instanceId: true, lastSeenAt: true },
        })
      ).map((i) => [i.instanceId, i.lastSeenAt.getTime()]),
    );
    for (const p of newest.values()) {
      const had = stored.get(p.instance_id);
      if (had !== undefined && had > p.last_seen_at.getTime()) continue;
      const data = {
        startedAt: p.started_at,
        lastSeenAt: p.last_seen_at,
        takenAt: p.taken_at,
        endedAt: p.ended_at,
        mode: p.mode,
        codeVersion: p.code_version,
        legacyReads: p.legacy_reads ? JSON.stringify(p.legacy_reads) : null,
      };
      await tx.instance.upsert({
        where: { host_instanceId: { host, instanceId: p.instance_id } },
        create: {
          host,
          instanceId: p.instance_id,
          firstSeenAt: p.first_seen_at,
          via: "agent",
          snapshot: "{}",
          simulated: p.simulated,
          ...data,
        },
        update: data,
      });
    }
  }
  const changes = polls.flatMap((p) => p.mode_changes.map((c) => ({ ...c, simulated: p.simulated })));
  if (changes.length === 0) return;
  const known = new Set(
    (
      await tx.modeChange.findMany({
        where: { host, ref: { in: changes.map((c) => c.ref) } },
        select: { ref: true },
      })
    ).map((c) => c.ref),
  );
  const fresh = [...new Map(changes.filter((c) => !known.has(c.ref)).map((c) => [c.ref, c])).values()];
  if (fresh.length === 0) return;
  await tx.modeChange.createMany({
    data: fresh.map((c) => ({
      host,
      ref: c.ref,
      instanceId: c.instance_id,
      at: c.at,
      mode: c.mode,
      previousMode: c.previous_mode,
      codeVersion: c.code_version,
      rollback: c.rollback,
      simulated: c.simulated,
    })),
  });
  await capModeChanges(
    tx,
    host,
    fresh.map((c) => c.instance_id),
  );
}

// ---- agent side: what a poll's message carries ---------------------------------------------

/** A process silent for a moment may have been saved just after the previous message: resent. */
const PROCESS_OVERLAP_MS = 30_000;

/**
 * The agent's processes heard from since the cursor (seconds; minus an overlap) and its mode
 * changes after the cursor id, for one poll's message; and the cursors after it.
 */
export async function outboxModes(
  tx: ModeTables,
  cursors: { processesS: number; modeChanges: number },
): Promise<{
  processes: PollRecord["processes"];
  mode_changes: PollRecord["mode_changes"];
  processesS: number;
  modeChanges: number;
}> {
  const rows = await tx.instance.findMany({
    where: { host: "", lastSeenAt: { gte: new Date(cursors.processesS * 1000 - PROCESS_OVERLAP_MS) } },
    orderBy: { lastSeenAt: "desc" },
    take: 1000,
  });
  const changes = await tx.modeChange.findMany({
    where: { host: "", id: { gt: cursors.modeChanges } },
    orderBy: { id: "asc" },
    take: 10_000,
  });
  const latest = rows.reduce((m, r) => Math.max(m, Math.floor(r.lastSeenAt.getTime() / 1000)), 0);
  return {
    processes: rows.map((r) => ({
      instance_id: r.instanceId,
      started_at: r.startedAt,
      first_seen_at: r.firstSeenAt,
      last_seen_at: r.lastSeenAt,
      taken_at: r.takenAt,
      ended_at: r.endedAt,
      mode: isMode(r.mode) ? r.mode : null,
      code_version: r.codeVersion,
      legacy_reads: parseLegacyReads(r.legacyReads),
    })),
    mode_changes: changes.map((c) => ({
      ref: c.id,
      instance_id: c.instanceId,
      at: c.at,
      mode: isMode(c.mode) ? c.mode : null,
      previous_mode: isMode(c.previousMode) ? c.previousMode : null,
      code_version: c.codeVersion,
      rollback: c.rollback,
    })),
    processesS: Math.max(cursors.processesS, latest),
    modeChanges: changes.at(-1)?.id ?? cursors.modeChanges,
  };
}

function parseLegacyReads(text: string | null): LegacyReads | null {
  if (!text) return null;
  try {
    return legacyReadsSchema.safeParse(JSON.parse(text)).data ?? null;
  } catch {
    return null;
  }
}
