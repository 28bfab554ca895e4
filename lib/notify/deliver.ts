// Delivers notifications to webhook channels without ever blocking a poll: each delivery runs
// on its own, is rate-limited per channel, retried with back-off (1 s, 4 s, 16 s), and every
// attempt's outcome is kept in the delivery history (a class of error, never an address).
import type { Db } from "../db";
import { startDelivery, updateDelivery } from "../store/notifications";
import { log } from "../log";
import { escapeSlack, slackLinkUrl } from "../core/escape";
import type { Resolve, TargetPolicy } from "./address";
import { postJson } from "./post";

export type Channel = { name: string; kind: "json" | "slack"; url: string };
export type Message = {
  alertKey: string;
  event: string;
  title: string;
  text: string;
  url: string;
  body: unknown;
};

export type DeliveryTiming = { timeoutMs: number; backoffMs: number[] };
/** Where deliveries may go, and how names are resolved (tests give a resolver; the machine has no DNS). */
export type DeliveryTargets = { policy: TargetPolicy; resolve?: Resolve };
const DEFAULT_TIMING: DeliveryTiming = { timeoutMs: 5000, backoffMs: [1000, 4000, 16000] };

export class Deliverer {
  private readonly sent = new Map<string, number[]>();
  private readonly inFlight = new Set<Promise<void>>();
  /** One queue per channel, so a channel receives its messages in order (firing before resolved). */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly ratePerMin: number,
    private readonly targets: DeliveryTargets,
    private readonly timing: DeliveryTiming = DEFAULT_TIMING,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Queues the delivery on its channel and returns at once. */
  send(channel: Channel, m: Message): void {
    const previous = this.queues.get(channel.name) ?? Promise.resolve();
    const p = previous
      .then(() => this.deliver(channel, m))
      .catch((err: unknown) =>
        log("notify", "error", "delivery bookkeeping failed", { channel: channel.name, error: String(err) }),
      );
    this.queues.set(channel.name, p);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private allowed(channel: string, at: number): boolean {
    const recent = (this.sent.get(channel) ?? []).filter((t) => at - t < 60_000);
    if (recent.length >= this.ratePerMin) {
      this.sent.set(channel, recent);
      return false;
    }
    recent.push(at);
    this.sent.set(channel, recent);
    return true;
  }

  private async deliver(channel: Channel, m: Message): Promise<void> {
    const at = this.now();
    const limited = !this.allowed(channel.name, at.getTime());
    const id = await startDelivery(this.db, {
      channel: channel.name,
      alertKey: m.alertKey,
      event: m.event,
      message: m.title,
      status: limited ? "rate_limited" : "sending",
      at,
    });
    if (limited) {
      log("notify", "warn", "rate limit: notification not sent", {
        channel: channel.name,
        alert: m.alertKey,
      });
      return;
    }
    const payload = channel.kind === "slack" ? { text: slackText(m) } : m.body;
    let lastError: string | null = null;
    for (let attempt = 1; ; attempt++) {
      const error = await postJson(channel.url, payload, {
        timeoutMs: this.timing.timeoutMs,
        ...this.targets,
      });
      lastError = error ?? lastError;
      // A refusal or a redirect is an answer, not a fault: trying again cannot change it.
      const last = attempt > this.timing.backoffMs.length || /^(refused|redirect)/.test(error ?? "");
      const status = error === null ? "sent" : last ? "failed" : "retrying";
      // A message sent after retries keeps the last error it met, for the history.
      await updateDelivery(this.db, id, { status, attempts: attempt, error: lastError, at: this.now() });
      if (error === null) return;
      if (last) {
        log("notify", "warn", "notification failed", { channel: channel.name, alert: m.alertKey, error });
        return;
      }
      await new Promise((r) => setTimeout(r, this.timing.backoffMs[attempt - 1]));
    }
  }
}

/** Slack's text: the fleet's and people's words escaped, then our one link (none for a test). */
export function slackText(m: Pick<Message, "text" | "url">): string {
  return `${escapeSlack(m.text)}${m.url ? `\n<${slackLinkUrl(m.url)}|Open in L9 State Health>` : ""}`;
}
