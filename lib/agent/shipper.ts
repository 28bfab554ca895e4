// The agent role (issue 14): after each recorded poll its message goes to the disk buffer
// (the Outbox table of the agent's own database), and the buffer is sent to the server in
// order, oldest first, in deliveries of up to 200 polls. The server stores each poll once
// (idempotent by host and poll id), so a delivery whose answer was lost is simply sent again.
// With the server unreachable the buffer grows up to L9_AGENT_BUFFER_MAX polls, then the
// oldest are dropped (counted, logged, and visible on the server as missing polls).
import { z } from "zod";
import type { Db } from "../db";
import type { Env } from "../env";
import type { ApiState } from "../contracts/state";
import type { AgentAck, AgentBatch, AgentPoll, PollRecord } from "../contracts/agent";
import { ackOutbox, agentId, enqueueOutbox, outboxSize, peekOutbox } from "../store/hosts";
import { log } from "../log";
import { stateDigest, stateHead } from "./state-digest";

export const AGENT_VERSION = "l9-agent/0.2.0";
const BATCH = 200;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 60_000;

export type ShipperStatus = {
  server: string;
  host: string;
  buffered: number;
  dropped: number;
  sent: number;
  lastSentAt: string | null;
  lastError: string | null;
};

const refusal = z.object({ error: z.object({ field: z.string().optional() }) });
const refusedField = (text: string): string | undefined => {
  try {
    return refusal.safeParse(JSON.parse(text)).data?.error.field;
  } catch {
    return undefined;
  }
};

/**
 * Issue 25: a process's report is absolute (the server keeps the newest), so a delivery names
 * each process once, in the newest poll that has it: 200 buffered polls are not 200 copies.
 */
export function onceEach(polls: AgentPoll[]): AgentPoll[] {
  const named = new Set<string>();
  for (let i = polls.length - 1; i >= 0; i--) {
    const p = polls[i]!;
    if (!p.processes?.length) continue;
    p.processes = p.processes.filter((x) => !named.has(x.instance_id) && named.add(x.instance_id));
  }
  return polls;
}

export class Shipper {
  private latest: ApiState | null = null;
  private sending: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_MIN_MS;
  private stopped = false;
  private queue: Promise<void> = Promise.resolve();
  /** the hash of the state body the server holds from us (issue 26); null: send it in full */
  private sentHash: string | null = null;
  private lastDeliveryMs = 0;
  private batchTimer: NodeJS.Timeout | null = null;
  readonly status: ShipperStatus;

  constructor(
    private readonly db: Db,
    private readonly cfg: Env,
  ) {
    this.status = {
      server: cfg.agent.serverUrl ?? "",
      host: cfg.agent.hostName,
      buffered: 0,
      dropped: 0,
      sent: 0,
      lastSentAt: null,
      lastError: null,
    };
  }

  /** After a poll was committed: buffer its message, then try to send. Never throws. */
  enqueue(poll: PollRecord, state: ApiState): Promise<void> {
    this.latest = state;
    this.queue = this.queue
      .then(async () => {
        const dropped = await enqueueOutbox(this.db, poll, this.cfg.agent.bufferMax);
        if (dropped > 0) {
          this.status.dropped += dropped;
          log("agent", "warn", "buffer full: oldest polls dropped", {
            dropped,
            total_dropped: this.status.dropped,
            max: this.cfg.agent.bufferMax,
          });
        }
      })
      .catch((err) => log("agent", "error", "could not buffer a poll", { error: String(err) }));
    return this.queue.then(() => this.deliverSoon());
  }

  /** L9_AGENT_DELIVER_EVERY_MS: polls wait on disk until a delivery is that old, then go together. */
  private deliverSoon(): Promise<void> {
    const wait = this.lastDeliveryMs + this.cfg.agent.deliverEveryMs - Date.now();
    if (wait <= 0) return this.flush();
    this.batchTimer ??= setTimeout(() => {
      this.batchTimer = null;
      void this.flush();
    }, wait);
    this.batchTimer.unref?.();
    return Promise.resolve();
  }

  /**
   * Resolves when every poll handed over so far is buffered and a delivery started after that
   * has ended (sent, or failed and scheduled for retry). A send already under way may have
   * read the buffer before the newest poll was in it, so it is awaited and a fresh one started.
   */
  async settled(): Promise<void> {
    await this.queue;
    await this.sending?.catch(() => undefined);
    await this.flush();
  }

  /** Sends what is buffered, oldest first, until empty or the server fails. */
  flush(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.sending ??= this.sendAll()
      .catch((err) => log("agent", "error", "could not read the buffer", { error: String(err) }))
      .finally(() => (this.sending = null));
    return this.sending;
  }

  private async sendAll(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const rows = await peekOutbox(this.db, BATCH);
      this.status.buffered = await outboxSize(this.db);
      if (rows.length === 0) return;
      const polls = onceEach(rows.map((r) => JSON.parse(r.body) as AgentPoll));
      const last = polls.at(-1)!;
      // The state rides on the delivery only when it is the newest poll's own; unchanged since
      // the server last took it in full, only its hash and per-poll head do.
      let hash: string | null = null;
      if (this.latest && this.latest.poll_id === last.id) {
        hash = stateDigest(this.latest);
        if (hash === this.sentHash) Object.assign(last, { state: null, state_head: stateHead(this.latest) });
        else last.state = this.latest;
        last.state_hash = hash;
      }
      const body: AgentBatch = {
        host: this.cfg.agent.hostName,
        agent_version: AGENT_VERSION,
        agent_id: await agentId(this.db),
        buffered: Math.max(0, this.status.buffered - rows.length),
        dropped: this.status.dropped,
        polls,
      };
      this.lastDeliveryMs = Date.now();
      const outcome = await this.post(body);
      if (outcome === "resend" && !last.state) {
        this.sentHash = null;
        continue;
      }
      if (outcome !== "ok") {
        this.scheduleRetry(outcome === "refused" ? RETRY_MAX_MS : this.retryMs);
        this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
        return;
      }
      await ackOutbox(this.db, last.id);
      if (last.state) this.sentHash = hash;
      this.retryMs = RETRY_MIN_MS;
      this.status.sent += rows.length;
      this.status.lastSentAt = new Date().toISOString();
      this.status.buffered = Math.max(0, this.status.buffered - rows.length);
    }
  }

  private async post(body: AgentBatch): Promise<"ok" | "failed" | "refused" | "resend"> {
    const url = `${this.cfg.agent.serverUrl}/api/v1/agent/polls`;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.cfg.agent.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.ok) {
        const ack = JSON.parse(text) as AgentAck;
        if (this.status.lastError) log("agent", "info", "server reachable again", { server: url });
        this.status.lastError = null;
        if (ack.duplicates)
          log("agent", "info", "server already held some polls", { duplicates: ack.duplicates });
        return "ok";
      }
      // The server does not hold the state this hash names: the same polls again, state in full.
      if (res.status === 409 && refusedField(text) === "state_hash") {
        log("agent", "info", "server asked for the state in full", { server: url });
        return "resend";
      }
      const error = `${res.status}: ${text.slice(0, 300)}`;
      if (this.status.lastError !== error) log("agent", "error", "server refused the delivery", { error });
      this.status.lastError = error;
      // 4xx other than 408/429: retrying at once will not help (token, host, body); slowly.
      return res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429
        ? "refused"
        : "failed";
    } catch (err) {
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (this.status.lastError !== error)
        log("agent", "warn", "server unreachable: polls stay buffered on disk", { server: url, error });
      this.status.lastError = error;
      return "failed";
    }
  }

  private scheduleRetry(ms: number): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, ms);
    this.retryTimer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.retryTimer = this.batchTimer = null;
    await this.queue.catch(() => undefined);
    await this.sending?.catch(() => undefined);
  }
}
