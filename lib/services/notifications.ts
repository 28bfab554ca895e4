import "server-only";
// Built-in notifications: channels (editors add and remove them; URLs are never shown again),
// a test message, the delivery history and the rules' durations.
import { env } from "../env";
import { getDb } from "../db";
import { ApiError, readJsonBody, rowId, zodToApiError } from "../http";
import { authorizePerson, requestOrigin } from "../access";
import { getNotifier } from "../collector/runtime";
import { addChannel, listChannels, listDeliveries, removeChannel } from "../store/notifications";
import {
  addChannelSchema,
  testChannelSchema,
  type ApiChannel,
  type ApiNotifications,
} from "../contracts/notifications";
import { DEFAULT_AFTER_MS, type AlertRule } from "../core/alerts";

/** Scheme, host and the last 4 characters: recognisable, never usable. */
function hint(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/…${url.slice(-4)}`;
}

export async function getNotifications(): Promise<ApiNotifications> {
  const cfg = env();
  const db = getDb();
  const stored = await listChannels(db);
  const channels: ApiChannel[] = [
    ...cfg.notify.webhooks.map((c) => ({
      id: null,
      name: c.name,
      kind: c.kind,
      url_hint: hint(c.url),
      source: "env" as const,
      created_by: null,
    })),
    ...stored.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      url_hint: hint(c.url),
      source: "app" as const,
      created_by: c.createdBy,
    })),
  ];
  const notifier = getNotifier();
  return {
    channels,
    deliveries: await listDeliveries(db),
    rules: (Object.keys(DEFAULT_AFTER_MS) as AlertRule[]).map((rule) => ({
      rule,
      after_ms: notifier.afterMs(rule),
    })),
    rate_per_min: cfg.notify.ratePerMin,
  };
}

const audit = (req: Request, person: { id: string; via: string }, now: Date) => ({
  at: now,
  actor: person.id,
  via: person.via,
  ...requestOrigin(req),
});

export async function postChannel(req: Request, now: Date = new Date()): Promise<ApiNotifications> {
  const person = await authorizePerson(req);
  const parsed = addChannelSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  const names = (await getNotifier().channels()).map((c) => c.name);
  if (names.includes(parsed.data.name))
    throw new ApiError("conflict", `a channel named ${parsed.data.name} exists`, "name");
  await addChannel(getDb(), parsed.data, audit(req, person, now));
  return getNotifications();
}

export async function deleteChannel(
  req: Request,
  id: string,
  now: Date = new Date(),
): Promise<ApiNotifications> {
  const person = await authorizePerson(req);
  // An id past the INTEGER column (e.g. 99999999999999999999) is a 404, not a query Prisma refuses.
  const n = rowId(id);
  if (n === null || !(await removeChannel(getDb(), n, audit(req, person, now)))) {
    throw new ApiError("not_found", `no channel ${JSON.stringify(id)} added in the app`);
  }
  return getNotifications();
}

/** POST /api/v1/notifications/test: a test message to one channel, with its outcome in the history. */
export async function testChannel(req: Request, now: Date = new Date()): Promise<{ sent: boolean }> {
  const person = await authorizePerson(req);
  const parsed = testChannelSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  const notifier = getNotifier();
  const channel = (await notifier.channels()).find((c) => c.name === parsed.data.channel);
  if (!channel) throw new ApiError("not_found", `no channel named ${parsed.data.channel}`, "channel");
  const text = `Test from L9 State Health, sent by ${person.id} at ${now.toISOString()}.`;
  notifier.deliverer.send(channel, {
    alertKey: "test",
    event: "test",
    title: text,
    text,
    url: "",
    body: { event: "test", message: text, at: now.toISOString() },
  });
  return { sent: true };
}
