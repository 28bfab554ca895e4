// Webhook channels added in the app, and the delivery history of notifications.
import type { Db } from "../db";
import type { ApiDelivery } from "../contracts/notifications";
import { recordAudit, type AuditInput } from "./audit";

export type StoredChannel = {
  id: number;
  name: string;
  kind: "json" | "slack";
  url: string;
  createdBy: string;
  createdAt: Date;
};

export async function listChannels(db: Db): Promise<StoredChannel[]> {
  const rows = await db.notificationChannel.findMany({ orderBy: { id: "asc" } });
  return rows.map((r) => ({ ...r, kind: r.kind === "slack" ? "slack" : "json" }));
}

export async function addChannel(
  db: Db,
  c: { name: string; kind: string; url: string },
  audit: Omit<AuditInput, "action" | "target" | "detail">,
): Promise<number> {
  return db.$transaction(async (tx) => {
    const row = await tx.notificationChannel.create({
      data: { ...c, createdBy: audit.actor, createdAt: audit.at },
    });
    // The URL is a secret: the audit log keeps its host only.
    await recordAudit(tx, {
      ...audit,
      action: "notifications.channel_add",
      target: `channel:${row.id}`,
      detail: { name: c.name, kind: c.kind, host: new URL(c.url).host },
    });
    return row.id;
  });
}

export async function removeChannel(
  db: Db,
  id: number,
  audit: Omit<AuditInput, "action" | "target" | "detail">,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const gone = await tx.notificationChannel.deleteMany({ where: { id } });
    if (gone.count) {
      await recordAudit(tx, {
        ...audit,
        action: "notifications.channel_remove",
        target: `channel:${id}`,
        detail: {},
      });
    }
    return gone.count > 0;
  });
}

export async function startDelivery(
  db: Db,
  d: { channel: string; alertKey: string; event: string; message: string; status: string; at: Date },
): Promise<number> {
  const row = await db.notificationDelivery.create({
    data: {
      channel: d.channel,
      alertKey: d.alertKey,
      event: d.event,
      message: d.message,
      status: d.status,
      createdAt: d.at,
      updatedAt: d.at,
    },
  });
  return row.id;
}

export async function updateDelivery(
  db: Db,
  id: number,
  u: { status: string; attempts: number; error: string | null; at: Date },
): Promise<void> {
  await db.notificationDelivery.update({
    where: { id },
    data: { status: u.status, attempts: u.attempts, error: u.error, updatedAt: u.at },
  });
}

export async function listDeliveries(db: Db, limit = 100): Promise<ApiDelivery[]> {
  const rows = await db.notificationDelivery.findMany({ orderBy: [{ id: "desc" }], take: limit });
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    alert: r.alertKey,
    event: r.event,
    status: r.status,
    attempts: r.attempts,
    error: r.error,
    message: r.message,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  }));
}
