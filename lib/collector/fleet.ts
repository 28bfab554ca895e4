// The server role's live view (issue 14): the latest state each agent sent, kept in memory
// (loaded from the database at start), one fleet state over them, and listeners told after
// each delivery, as the collector tells its own after each poll.
import type { Db } from "../db";
import type { Env } from "../env";
import type { ApiState } from "../contracts/state";
import type { ApiHost, ParsedAgentBatch } from "../contracts/agent";
import { apiHost, fleetState } from "../present/agent";
import {
  hostPollSpans,
  listHosts,
  recordAgentBatch,
  type BatchResult,
  type StoredHost,
} from "../store/hosts";
import { log } from "../log";

type Listener = (state: ApiState, at: Date, changed: boolean) => void;

export class Fleet {
  private hosts = new Map<string, StoredHost>();
  private loaded: Promise<void> | null = null;
  private readonly listeners: Listener[] = [];
  private deliveries = 0;
  private lastSignature = "";

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

  /** The host names whose rows phase criteria and charts cover (all, or the ones asked for). */
  async scope(only?: readonly string[]): Promise<string[]> {
    await this.ready();
    const names = [...this.hosts.keys()].sort();
    return only && only.length ? names.filter((n) => only.includes(n)) : names;
  }

  /** The fleet's state now: stale hosts' projects unknown. `only`: some hosts. */
  async state(only?: readonly string[]): Promise<ApiState> {
    await this.ready();
    const now = this.now();
    const hosts = [...this.hosts.values()]
      .filter((h) => h.state && (!only || only.length === 0 || only.includes(h.name)))
      .map((h) => ({ name: h.name, state: h.state!, stale: this.isStale(h, now) }));
    return fleetState(hosts, this.cfg.pollIntervalMs, this.deliveries || null);
  }

  latestState(): ApiState | null {
    return null;
  }

  async list(): Promise<ApiHost[]> {
    await this.ready();
    const spans = await hostPollSpans(this.db);
    const now = this.now();
    return [...this.hosts.values()].map((h) => {
      const s = spans.get(h.name);
      return apiHost(h, s?.polls ?? 0, s?.firstId ?? 0, now, this.cfg.server.hostStaleMs);
    });
  }

  /** Stores a delivery and tells listeners (live pages, the notifier). */
  async ingest(batch: ParsedAgentBatch): Promise<BatchResult> {
    await this.ready();
    const now = this.now();
    const known = this.hosts.has(batch.host);
    const result = await recordAgentBatch(this.db, batch, now);
    this.hosts.set(batch.host, result.host);
    if (!known) log("server", "info", "new host", { host: batch.host, agent: batch.agent_version });
    this.deliveries += 1;
    const state = await this.state();
    const signature = `${state.docker.reachable}|${JSON.stringify(state.summary)}|${this.hosts.size}`;
    const changed = result.accepted > 0 && signature !== this.lastSignature;
    this.lastSignature = signature;
    for (const l of this.listeners) l(state, now, changed || !known);
    return result;
  }

  onPolled(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
}
