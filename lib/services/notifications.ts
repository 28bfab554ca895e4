import "server-only";
// Built-in notifications: channels (editors add and remove them; URLs are never shown again),
// a test message, the delivery history (errors, as classes, to editors only) and the rules'
// durations. A channel's URL must pass the address rules of lib/notify/address.ts.
import { isIP } from "node:net";
import { env } from "../env";
import { getDb } from "../db";
import { ApiError, readJsonBody, rowId, zodToApiError } from "../http";
import { authorizePerson, canEdit, currentPerson, requestOrigin } from "../access";
import { checkWebhookUrl, DOCKER_RULE, policyOf, refusal, targetOf } from "../notify/address";
import { errorClass } from "../notify/post";
import { getNotifier } from "../collector/runtime";
import { addChannel, listChannels, listDeliveries, removeChannel } from "../store/notifications";
import {
  addChannelSchema,
  testChannelSchema,
  type ApiChannel,
  type ApiNotifications,
} from "../contracts/notifications";
import { DEFAULT_AFTER_MS, type AlertRule } from "../core/alerts";

/**
 * Scheme, host and the path's last 4 characters: recognisable, never usable. A user and
 * password show as ***, a query (tokens often travel there) as ?… : neither is ever shown.
 */
function hint(url: string): string {
  const u = new URL(url);
  const who = u.username || u.password ? "***@" : "";
  const path = u.pathname.length > 1 ? `/…${u.pathname.slice(-4)}` : "/";
  return `${u.protocol}//${who}${u.host}${path}${u.search ? "?…" : ""}`;
}

/** The rule an address literal breaks, without asking DNS (deliveries check names). */
function refusedNow(url: string): Promise<string | null> {
  const t = targetOf(new URL(url));
  return refusal(t, isIP(t.host) ? [t.host] : [], policyOf(env()), async () => []);
}

export async function getNotifications(req: Request): Promise<ApiNotifications> {
  const cfg = env();
  const db = getDb();
  const person = await currentPerson(req);
  const editor = person !== null && canEdit(person);
  const stored = await listChannels(db);
  const listed = [
    ...cfg.notify.webhooks.map((c) => ({ ...c, id: null, source: "env" as const, createdBy: null })),
    ...stored.map((c) => ({ ...c, source: "app" as const })),
  ];
  const channels: ApiChannel[] = await Promise.all(
    listed.map(async (c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      url_hint: hint(c.url),
      source: c.source,
      created_by: c.createdBy,
      refused: await refusedNow(c.url),
    })),
  );
  const notifier = getNotifier();
  return {
    channels,
    // A delivery's error to editors only, as a class: to anyone else it would map the network.
    deliveries: (await listDeliveries(db)).map((d) => ({
      ...d,
      error: editor && d.error !== null ? errorClass(d.error) : null,
    })),
    errors_shown: editor,
    rules: (Object.keys(DEFAULT_AFTER_MS) as AlertRule[]).map((rule) => ({
      rule,
      after_ms: notifier.afterMs(rule),
    })),
    rate_per_min: cfg.notify.ratePerMin,
  };
}

function refusedMessage(rule: string): string {
  return rule === DOCKER_RULE
    ? `url: refused: ${rule}: nothing is ever sent to Docker`
    : `url: refused: ${rule}: a webhook may reach loopback, private, link-local and other special ` +
        "addresses only when the operator lists its host (or host:port) in L9_WEBHOOK_ALLOWED_HOSTS";
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
  const rule = await checkWebhookUrl(parsed.data.url, policyOf(env()));
  if (rule) throw new ApiError("bad_request", refusedMessage(rule), "url");
  await addChannel(getDb(), parsed.data, audit(req, person, now));
  return getNotifications(req);
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
  return getNotifications(req);
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
