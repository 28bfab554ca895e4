import "server-only";
// Known differences: editors acknowledge findings with a reason and an expiry (at most
// L9_ACK_MAX_DAYS ahead). Every change is audited; the collector re-reads them at once.
import { env } from "../env";
import { getDb } from "../db";
import { ApiError, readJsonBody, rowId, zodToApiError } from "../http";
import { authorizePerson, requestOrigin } from "../access";
import { afterSettingsChange } from "../collector/runtime";
import { createAck, endAck, getAck, listAcks, updateAck } from "../store/acks";
import { createAckSchema, updateAckSchema, type ApiAck, type ApiAcks } from "../contracts/acks";
import { inForce, type Ack } from "../core/acks";
import type { Person } from "../core/access";

const withForce = (a: Ack, now: Date): ApiAck => ({ ...a, in_force: inForce(a, now.getTime()) });

export async function getAcks(now: Date = new Date()): Promise<ApiAcks> {
  const all = (await listAcks(getDb())).map((a) => withForce(a, now));
  return { in_force: all.filter((a) => a.in_force), history: all, max_days: env().ackMaxDays };
}

function checkExpiry(expires: Date, now: Date): void {
  const maxDays = env().ackMaxDays;
  if (expires.getTime() <= now.getTime())
    throw new ApiError("bad_request", "expires_at: must be in the future", "expires_at");
  if (expires.getTime() - now.getTime() > maxDays * 86400_000) {
    throw new ApiError(
      "bad_request",
      `expires_at: at most ${maxDays} days ahead (L9_ACK_MAX_DAYS)`,
      "expires_at",
    );
  }
}

const audit = (req: Request, p: Person, now: Date) => ({
  at: now,
  actor: p.id,
  via: p.via,
  ...requestOrigin(req),
});

export async function postAck(req: Request, now: Date = new Date()): Promise<ApiAck> {
  const person = await authorizePerson(req);
  const parsed = createAckSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  const b = parsed.data;
  checkExpiry(b.expires_at, now);
  const ack = await createAck(
    getDb(),
    {
      project: b.project,
      source: b.source ?? null,
      kind: b.kind ?? null,
      value: b.value ?? null,
      reason: b.reason,
      expiresAt: b.expires_at,
    },
    audit(req, person, now),
  );
  await afterSettingsChange(now, "acks");
  return withForce(ack, now);
}

async function existing(id: string): Promise<Ack> {
  const n = rowId(id);
  const a = n === null ? null : await getAck(getDb(), n);
  if (!a) throw new ApiError("not_found", `no acknowledgement ${JSON.stringify(id)}`);
  return a;
}

/** GET /api/v1/acknowledgements/{id} */
export async function findAck(id: string, now: Date = new Date()): Promise<ApiAck> {
  return withForce(await existing(id), now);
}

export async function patchAck(req: Request, id: string, now: Date = new Date()): Promise<ApiAck> {
  const person = await authorizePerson(req);
  const a = await existing(id);
  if (a.endedAt) throw new ApiError("conflict", `acknowledgement ${id} was ended at ${a.endedAt}`);
  const parsed = updateAckSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  if (parsed.data.expires_at) checkExpiry(parsed.data.expires_at, now);
  const updated = await updateAck(
    getDb(),
    a.id,
    { reason: parsed.data.reason, expiresAt: parsed.data.expires_at },
    audit(req, person, now),
  );
  await afterSettingsChange(now, "acks");
  return withForce(updated, now);
}

export async function deleteAck(req: Request, id: string, now: Date = new Date()): Promise<ApiAck> {
  const person = await authorizePerson(req);
  const a = await existing(id);
  if (a.endedAt) return withForce(a, now);
  const ended = await endAck(getDb(), a.id, audit(req, person, now));
  await afterSettingsChange(now, "acks");
  return withForce(ended, now);
}
