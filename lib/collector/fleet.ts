// The server role's hosts (issue 14): each agent's Host row (loaded from the database at
// start), deliveries stored through the one poll record, and each host's latest state handed to
// the live view, which tells listeners at most once a second and prunes history.
import type { Db } from "../db";
import type { Env } from "../env";
import type { ApiHost, ParsedAgentBatch } from "../contracts/agent";
import { apiHost } from "../present/agent";
import {
  getHost,
  getHostState,
  listHosts,
  recordAgentBatch,
  type BatchResult,
  type StoredHost,
} from "../store/hosts";
import type { ApiState } from "../contracts/state";
import { LiveView } from "./live";
import { dbErrorText } from "../store/dialect";
import { noteDbWrite } from "./status";
import { log } from "../log";

const NOTIFY_EVERY_MS = 1000;

export class Fleet {
  private hosts = new Map<string, StoredHost>();
  private loaded: Promise<void> | null = null;
  private known = false;
  /**
   * Listeners (live pages, the notifier) hear of deliveries at most once a second: twenty
   * agents every 5 s are four deliveries a second, and the fleet state is 2,000 projects.
   */
  readonly live: LiveView;
  /** issue 26: on PostgreSQL, tells the other server processes of each stored delivery */
  publish: (host: string) => void = () => undefined;

  constructor(
    private readonly db: Db,
    private readonly cfg: Env,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.live = new LiveView(db, cfg, now, NOTIFY_EVERY_MS);
  }

  ready(): Promise<void> {
    this.loaded ??= listHosts(this.db).then((rows) => this.remember(rows));
    return this.loaded;
  }

  /**
   * The whole fleet's state now, once the stored hosts are in (else null): an event stream's
   * first event, so the next one carries a delta (issue 26), as on one machine.
   */
  latestState(): ApiState | null {
    return this.known ? this.live.state() : null;
  }

  private remember(rows: StoredHost[]): void {
    this.known = true;
    for (const h of rows) {
      this.hosts.set(h.name, h);
      if (h.state) this.live.load(h.name, h.state, h.receivedAt);
    }
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
      if (this.live.isStale(h.receivedAt, now)) stale += 1;
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
    const state = await this.stateAfter(result);
    this.hosts.set(batch.host, { ...result.host, state });
    if (!known) log("server", "info", "new host", { host: batch.host, agent: batch.agent_version });
    this.publish(batch.host);
    if (state && (result.accepted > 0 || !known)) this.live.set(batch.host, state, result.host.receivedAt);
    else this.live.touch(batch.host, result.host.receivedAt);
    void this.live.maybePrune(now).then(async (pruned) => {
      if (pruned) this.remember(await listHosts(this.db));
    });
    return result;
  }

  /** Another server process stored a delivery of `name` ("*": any host): read it back. */
  async reload(name: string): Promise<void> {
    await this.ready();
    const rows = name === "*" ? await listHosts(this.db) : [await getHost(this.db, name)];
    for (const h of rows) {
      if (!h) continue;
      this.hosts.set(h.name, h);
      if (h.state) this.live.set(h.name, h.state, h.receivedAt);
    }
  }

  /**
   * Issue 26: a delivery's state in full, else the held one (an unchanged-state delivery lays its
   * head over it when it holds the same hash), else the stored one.
   */
  private async stateAfter(result: BatchResult): Promise<ApiState | null> {
    if (result.host.state) return result.host.state;
    const held = this.hosts.get(result.host.name);
    if (!result.head) return held?.state ?? (await getHostState(this.db, result.host.name));
    if (held?.state && held.stateHash === result.host.stateHash) return { ...held.state, ...result.head };
    return getHostState(this.db, result.host.name);
  }
}
