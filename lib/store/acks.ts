// Acknowledgements (known differences): each write is an editor's, kept with its audit entry.
import type { Db } from "../db";
import type { Ack } from "../core/acks";
import { recordAudit, type AuditInput } from "./audit";

type Row = NonNullable<Awaited<ReturnType<Db["acknowledgement"]["findUnique"]>>>;
type Audit = Omit<AuditInput, "action" | "target" | "detail">;

const toAck = (r: Row): Ack => ({
  id: r.id,
  project: r.project,
  source: r.source,
  kind: r.kind,
  value: r.value,
  reason: r.reason,
  owner: r.owner,
  createdAt: r.createdAt.toISOString(),
  expiresAt: r.expiresAt.toISOString(),
  endedAt: r.endedAt?.toISOString() ?? null,
});

/** Acknowledgements in force at `now` (not ended, not expired), oldest first. */
export async function listAcksInForce(db: Db, now: Date): Promise<Ack[]> {
  const rows = await db.acknowledgement.findMany({
    where: { endedAt: null, expiresAt: { gt: now } },
    orderBy: { id: "asc" },
  });
  return rows.map(toAck);
}

/** Every acknowledgement, newest first (in force, expired and ended). */
export async function listAcks(db: Db, limit = 200): Promise<Ack[]> {
  const rows = await db.acknowledgement.findMany({ orderBy: { id: "desc" }, take: limit });
  return rows.map(toAck);
}

export async function getAck(db: Db, id: number): Promise<Ack | null> {
  const row = await db.acknowledgement.findUnique({ where: { id } });
  return row ? toAck(row) : null;
}

export async function createAck(
  db: Db,
  a: {
    project: string;
    source: string | null;
    kind: string | null;
    value: string | null;
    reason: string;
    expiresAt: Date;
  },
  audit: Audit,
): Promise<Ack> {
  return db.$transaction(async (tx) => {
    const row = await tx.acknowledgement.create({ data: { ...a, owner: audit.actor, createdAt: audit.at } });
    await recordAudit(tx, {
      ...audit,
      action: "ack.create",
      target: `ack:${row.id}`,
      detail: { ...a, expiresAt: a.expiresAt.toISOString() },
    });
    return toAck(row);
  });
}

export async function updateAck(
  db: Db,
  id: number,
  u: { reason?: string; expiresAt?: Date },
  audit: Audit,
): Promise<Ack> {
  return db.$transaction(async (tx) => {
    const row = await tx.acknowledgement.update({ where: { id }, data: u });
    await recordAudit(tx, {
      ...audit,
      action: "ack.update",
      target: `ack:${id}`,
      detail: { ...u, expiresAt: u.expiresAt?.toISOString() },
    });
    return toAck(row);
  });
}

export async function endAck(db: Db, id: number, audit: Audit): Promise<Ack> {
  return db.$transaction(async (tx) => {
    const row = await tx.acknowledgement.update({
      where: { id },
      data: { endedAt: audit.at, endedBy: audit.actor },
    });
    await recordAudit(tx, { ...audit, action: "ack.end", target: `ack:${id}`, detail: {} });
    return toAck(row);
  });
}
