// The server role's live view (issue 14): the latest state each agent sent, kept in memory
// (loaded from the database at start), one fleet state over them, and listeners told after
// deliveries (at most once a second), as the collector tells its own after each poll. It also
// prunes history past the retention window, as the collector does on one machine.
import type { Db } from "../db";
import type { Env } from "../env";
import type { ApiState } from "../contracts/state";
import type { ApiHost, ParsedAgentBatch } from "../contracts/agent";
import { apiHost, fleetState } from "../present/agent";
import {
  listHosts,
  recordAgentBatch,
  recountHostPolls,
  type BatchResult,
  type StoredHost,
} from "../store/hosts";
import { pruneHistory } from "../store/polls";
import { dbErrorText } from "../store/dialect";
import { noteDbWrite } from "./status";
import { log } from "../log";

type Listener = (state: ApiState, at: Date, changed: boolean) => void;

const NOTIFY_EVERY_MS = 1000;
const PRUNE_EVERY_MS = 3600_000;

export class Fleet {
  private hosts = new Map<string, StoredHost>();
  private loaded: Promise<void> | null = null;
  private readonly listeners: Listener[] = [];
  private deliveries = 0;
  private lastSignature = "";
  private notifyTimer: NodeJS.Timeout | null = null;
  private lastPrune = 0;

  constructor(
    private readonly db: Db,
    private readonly cfg: Env,
    private readonly now: () => Date = () => new Date(),
  ) {}

  ready(): Promise<void> {
    this.loaded ??= listHosts(this.db).then((rows) => {
      for (const h of rows) this.hosts.set(h.name, h);
    });
    return this.loaded;
  }

  isStale(h: StoredHost, now: Date): boolean {
    return now.getTime() - h.receivedAt.getTime() > this.cfg.server.hostStaleMs;
  }

  /** The fleet's state now: stale hosts' projects unknown. `only`: some hosts. */
  async state(only?: readonly string[]): Promise<ApiState> {
    await this.ready();
    const now = this.now();
    const hosts = [...this.hosts.values()]
      .filter((h) => h.state && (!only || only.length === 0 || only.includes(h.name)))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((h) => ({ name: h.name, state: h.state!, stale: this.isStale(h, now) }));
    return fleetState(hosts, this.cfg.pollIntervalMs, this.deliveries || null);
  }

  async list(): Promise<ApiHost[]> {
    await this.ready();
    const now = this.now();
    return [...this.hosts.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((h) => apiHost(h, now, this.cfg.server.hostStaleMs));
  }

  /** For /api/v1/health: from memory, no query. */
  async summary(): Promise<{ total: number; stale: number; lastReceivedAt: string | null }> {
    await this.ready();
    const now = this.now();
    let stale = 0;
    let last: Date | null = null;
    for (const h of this.hosts.values()) {
      if (this.isStale(h, now)) stale += 1;
      if (!last || h.receivedAt > last) last = h.receivedAt;
    }
    return { total: this.hosts.size, stale, lastReceivedAt: last?.toISOString() ?? null };
  }

  /** Stores a delivery; listeners hear of it within a second. */
  async ingest(batch: ParsedAgentBatch): Promise<BatchResult> {
    await this.ready();
    const now = this.now();
    const known = this.hosts.has(batch.host);
    let result: BatchResult;
    try {
      result = await recordAgentBatch(this.db, batch, now);
      noteDbWrite(now, null);
    } catch (err) {
      // The database failed (not a refusal of the batch): health says so until a write works.
      if (err instanceof Error && err.name.startsWith("PrismaClient")) noteDbWrite(now, dbErrorText(err));
      throw err;
    }
    this.hosts.set(batch.host, result.host);
    if (!known) log("server", "info", "new host", { host: batch.host, agent: batch.agent_version });
    this.deliveries += 1;
    if (result.accepted > 0 || !known) this.scheduleNotify();
    void this.maybePrune(now);
    return result;
  }

  onPolled(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /**
   * Listeners (live pages, the notifier) hear of deliveries at most once a second: twenty
   * agents every 5 s are four deliveries a second, and the fleet state is 2,000 projects.
   */
  private scheduleNotify(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      void this.state().then((state) => {
        const signature = `${state.docker.reachable}|${JSON.stringify(state.summary)}|${this.hosts.size}`;
        const changed = signature !== this.lastSignature;
        this.lastSignature = signature;
        const at = this.now();
        for (const l of this.listeners) l(state, at, changed);
      });
    }, NOTIFY_EVERY_MS);
    this.notifyTimer.unref?.();
  }

  /** Retention on a server (it runs no collector, whose poll loop prunes on one machine). */
  private async maybePrune(now: Date): Promise<void> {
    if (now.getTime() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now.getTime();
    try {
      const cutoff = new Date(now.getTime() - this.cfg.retentionDays * 86400_000);
      const n = await pruneHistory(this.db, cutoff);
      if (n.polls > 0) {
        await recountHostPolls(this.db);
        for (const h of await listHosts(this.db)) this.hosts.set(h.name, h);
        log("server", "info", "pruned history", { before: cutoff.toISOString(), ...n });
      }
    } catch (err) {
      log("server", "error", "pruning failed", { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
