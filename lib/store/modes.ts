// Issue 25: the processes' modes over time (for a phase's time in its mode), the live ones now
// (for a review's warnings), mode rollbacks, and the legacy-read counts the processes sent.
import type { Db } from "../db";
import { isMode, type LiveMode, type ProcessModes } from "../core/modes";
import { LOCAL, type HostScope } from "./history";
import { legacyReadsSchema, type LegacyReads } from "../contracts/modes";

/** Every process heard from in [from, to], with each mode it reported (the last one before `from` too). */
export async function getProcessModes(
  db: Db,
  from: Date,
  to: Date,
  hosts: HostScope = LOCAL,
): Promise<ProcessModes[]> {
  const instances = await db.instance.findMany({
    where: { host: { in: [...hosts] }, lastSeenAt: { gte: from }, firstSeenAt: { lte: to } },
    select: { instanceId: true, firstSeenAt: true, lastSeenAt: true, endedAt: true },
  });
  if (instances.length === 0) return [];
  const changes = await db.modeChange.findMany({
    where: { instanceId: { in: instances.map((i) => i.instanceId) }, at: { lte: to } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { instanceId: true, at: true, mode: true },
  });
  return instances.map((i) => ({
    instanceId: i.instanceId,
    liveFrom: i.firstSeenAt.getTime(),
    liveTo: (i.endedAt ?? i.lastSeenAt).getTime(),
    changes: changes
      .filter((c) => c.instanceId === i.instanceId)
      .map((c) => ({ at: c.at.getTime(), mode: isMode(c.mode) ? c.mode : null })),
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

export type ModeRollback = { at: string; instance_id: string; from: string | null; to: string | null };

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
    select: { instanceId: true, legacyReads: true },
  });
  const out: (LegacyReads & { instanceId: string })[] = [];
  for (const r of rows) {
    const parsed = legacyReadsSchema.safeParse(JSON.parse(r.legacyReads ?? "null"));
    if (parsed.success) out.push({ instanceId: r.instanceId, ...parsed.data });
  }
  return out;
}
