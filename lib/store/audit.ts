// The audit log of every write by a person (CONTRACT 6g): who, when, what, from where.
import type { Db } from "../db";
import type { ApiAuditEntry } from "../contracts/auth";

export type AuditInput = {
  at: Date;
  actor: string;
  via: string;
  action: string;
  target: string;
  detail: unknown;
  fromAddr: string;
  userAgent: string;
};

/** Prisma's transaction client and the client share these calls. */
type AuditWriter = Pick<Db, "auditEntry">;

export async function recordAudit(db: AuditWriter, e: AuditInput): Promise<void> {
  await db.auditEntry.create({ data: { ...e, detail: JSON.stringify(e.detail ?? {}) } });
}

export async function listAudit(
  db: Db,
  f: { actor?: string; action?: string; from?: Date; to?: Date; limit?: number },
): Promise<{ entries: ApiAuditEntry[]; actors: string[]; actions: string[] }> {
  const where = {
    ...(f.actor ? { actor: f.actor } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.from || f.to ? { at: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
  };
  const [rows, actors, actions] = await Promise.all([
    db.auditEntry.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], take: f.limit ?? 500 }),
    db.auditEntry.findMany({ distinct: ["actor"], select: { actor: true }, orderBy: { actor: "asc" } }),
    db.auditEntry.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
  ]);
  return {
    entries: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actor,
      via: r.via,
      action: r.action,
      target: r.target,
      detail: JSON.parse(r.detail) as unknown,
      from: r.fromAddr,
      user_agent: r.userAgent,
    })),
    actors: actors.map((a) => a.actor),
    actions: actions.map((a) => a.action),
  };
}
