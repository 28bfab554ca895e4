// Orchestrator instances, their snapshots and restarts; read-path events.
import type { Db } from "../db";
import type { InstanceRecord, RestartEvent } from "../core/instances";
import type { SourceEntry } from "../core/types";
import { fromStored, toStored, type StoredAdrState } from "../core/adr/types";
import { isMode } from "../core/modes";
import { capModeChanges } from "./modes";

type StoredEntries = Record<string, SourceEntry>;

/** This machine's own processes (a server's rows of its hosts' processes are not for its collector). */
export async function loadInstances(db: Db): Promise<InstanceRecord[]> {
  const rows = await db.instance.findMany({ where: { host: "" } });
  return rows.map((r) => ({
    instanceId: r.instanceId,
    startedAt: r.startedAt,
    firstSeenAt: r.firstSeenAt,
    lastSeenAt: r.lastSeenAt,
    takenAt: r.takenAt,
    via: r.via,
    entries: new Map(Object.entries(JSON.parse(r.snapshot) as StoredEntries)),
    replacedBy: r.replacedBy,
    endedAt: r.endedAt,
    adr: fromStored(r.adrState ? (JSON.parse(r.adrState) as StoredAdrState) : null),
    modes: { mode: isMode(r.mode) ? r.mode : null, codeVersion: r.codeVersion, legacyReads: r.legacyReads },
  }));
}

/** Saves an instance's latest snapshot and, in the same transaction, any restart it caused. */
export async function saveInstance(
  db: Db,
  rec: InstanceRecord,
  restarts: RestartEvent[] = [],
  simulated = false,
  modeChange?: {
    at: Date;
    mode: string | null;
    previousMode: string | null;
    codeVersion: string | null;
    rollback: boolean;
  },
): Promise<void> {
  const data = {
    startedAt: rec.startedAt,
    lastSeenAt: rec.lastSeenAt,
    takenAt: rec.takenAt,
    via: rec.via,
    snapshot: JSON.stringify(Object.fromEntries(rec.entries)),
    replacedBy: rec.replacedBy,
    endedAt: rec.endedAt,
    adrState: rec.adr ? JSON.stringify(toStored(rec.adr)) : null,
    mode: rec.modes?.mode ?? null,
    codeVersion: rec.modes?.codeVersion ?? null,
    legacyReads: rec.modes?.legacyReads ?? null,
  };
  await db.$transaction([
    db.instance.upsert({
      where: { host_instanceId: { host: "", instanceId: rec.instanceId } },
      create: { instanceId: rec.instanceId, firstSeenAt: rec.firstSeenAt, simulated, ...data },
      update: data,
    }),
    ...restarts.map((r) => db.restart.create({ data: { ...r, simulated } })),
    ...(modeChange
      ? [db.modeChange.create({ data: { instanceId: rec.instanceId, ...modeChange, simulated } })]
      : []),
  ]);
  if (modeChange) await capModeChanges(db, "", [rec.instanceId]);
}

export async function recordReplacements(db: Db, restarts: RestartEvent[], simulated = false): Promise<void> {
  if (restarts.length === 0) return;
  await db.$transaction([
    ...restarts.map((r) =>
      db.instance.update({
        where: { host_instanceId: { host: "", instanceId: r.previousInstanceId } },
        data: { replacedBy: r.instanceId },
      }),
    ),
    ...restarts.map((r) => db.restart.create({ data: { ...r, simulated } })),
  ]);
}

export async function pendingRestarts(db: Db): Promise<{ id: number; instanceId: string }[]> {
  return db.restart.findMany({ where: { recoveredAt: null }, select: { id: true, instanceId: true } });
}

export async function restartsBetween(db: Db, from: Date, to: Date) {
  return db.restart.findMany({
    where: { detectedAt: { gte: from, lte: to } },
    orderBy: { detectedAt: "asc" },
    take: 500,
  });
}

export async function countRestarts(db: Db): Promise<Map<string, number>> {
  const rows = await db.restart.groupBy({ by: ["instanceId"], _count: { _all: true } });
  return new Map(rows.map((r) => [r.instanceId, r._count._all]));
}

export type ReadEventRow = {
  instanceId: string;
  at: Date;
  project: string;
  servedBy: string;
  dockerOk: boolean;
  latencyMs: number | null;
  cacheAgeMs?: number | null;
  fallbackVia?: string | null;
};

/** Rows per statement: a batch is written in chunks, yielding between them to the poll loop. */
const READ_EVENT_CHUNK = 500;

export async function recordReadEvents(db: Db, rows: ReadEventRow[], simulated = false): Promise<number> {
  let count = 0;
  for (let i = 0; i < rows.length; i += READ_EVENT_CHUNK) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    const chunk = rows.slice(i, i + READ_EVENT_CHUNK);
    count += (await db.readEvent.createMany({ data: chunk.map((r) => ({ ...r, simulated })) })).count;
  }
  return count;
}

export type AllocationFailureRow = {
  instanceId: string;
  at: Date;
  project: string;
  port: number | null;
  message: string;
};

export async function recordAllocationFailures(
  db: Db,
  rows: AllocationFailureRow[],
  simulated = false,
): Promise<number> {
  if (rows.length === 0) return 0;
  const res = await db.allocationFailure.createMany({ data: rows.map((r) => ({ ...r, simulated })) });
  return res.count;
}

export async function countAllocationFailures(db: Db, from: Date, to: Date, hosts: readonly string[]) {
  return db.allocationFailure.count({ where: { host: { in: [...hosts] }, at: { gte: from, lte: to } } });
}
