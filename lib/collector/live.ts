// The live view, keyed by host, for every role: one machine is a fleet of one host (""), a
// server holds each agent's latest state. It owns what screens and the notifier hear: the state
// (one builder, one host filter), listeners with the "did anything change" signature, and
// retention (pruning history past the window, every host's).
import type { Db } from "../db";
import type { Env } from "../env";
import type { ApiState } from "../contracts/state";
import { liveState } from "../present/agent";
import { maintainPolls, pruneHistory } from "../store/polls";
import { recountHostPolls } from "../store/hosts";
import { log } from "../log";

type Listener = (state: ApiState, at: Date, changed: boolean) => void;

const PRUNE_EVERY_MS = 3600_000;
/** Built states kept between changes (host filters). */
const MEMO_SIZE = 16;

type Entry = {
  state: ApiState;
  /** when its poll arrived; null: this machine's own (never stale) */ receivedAt: Date | null;
};

export class LiveView {
  private readonly hosts = new Map<string, Entry>();
  private readonly listeners: Listener[] = [];
  private lastSignature = "";
  private timer: NodeJS.Timeout | null = null;
  private pendingHistory = false;
  private lastPrune = 0;
  private lastPublishAt = -Infinity;
  /** issue 26: whether this process prunes (one of several server processes on PostgreSQL) */
  mayPrune: () => boolean = () => true;
  private updates = 0;
  /** bumped by every change of a host's state (set, load): the built states below are kept by it */
  private version = 0;
  /** the states built since the last change, by host filter and staleness (at most MEMO_SIZE) */
  private readonly built = new Map<string, ApiState>();

  constructor(
    private readonly db: Db,
    private readonly cfg: Pick<Env, "role" | "pollIntervalMs" | "retentionDays"> & {
      server: Pick<Env["server"], "hostStaleMs">;
    },
    private readonly now: () => Date = () => new Date(),
    /** listeners hear at most once per this many ms (a server: many agents deliver) */
    private readonly throttleMs = 0,
  ) {}

  isStale(receivedAt: Date | null, now: Date = this.now()): boolean {
    return receivedAt !== null && now.getTime() - receivedAt.getTime() > this.cfg.server.hostStaleMs;
  }

  /** A host's latest state. `historyChanged`: its poll opened or closed history. */
  set(host: string, state: ApiState, receivedAt: Date | null, historyChanged = false): void {
    this.hosts.set(host, { state, receivedAt });
    this.updates += 1;
    this.version += 1;
    this.pendingHistory ||= historyChanged;
    if (this.throttleMs === 0) return this.publish(this.now());
    if (this.timer) return;
    // At most once per throttleMs, but at once when the last was longer ago than that: a quiet
    // server's listeners (and other server processes' streams, issue 26) hear of a delivery now.
    const now = this.now();
    const wait = this.lastPublishAt + this.throttleMs - now.getTime();
    if (wait <= 0) return this.publish(now);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.publish(this.now());
    }, wait);
    this.timer.unref?.();
  }

  /** A host's state as stored before this process started: nobody is told. */
  load(host: string, state: ApiState, receivedAt: Date | null): void {
    this.hosts.set(host, { state, receivedAt });
    this.version += 1;
  }

  /** Only refreshes a host's receipt time (a delivery that carried no newer state). */
  touch(host: string, receivedAt: Date): void {
    const e = this.hosts.get(host);
    if (e) e.receivedAt = receivedAt;
  }

  /** The state now: every host, or on a server those of `only` (the `?host=` filter). */
  state(only: readonly string[] = []): ApiState | null {
    if (this.hosts.size === 0 && this.cfg.role !== "server") return null;
    const now = this.now();
    const hosts = [...this.hosts].map(([name, e]) => ({
      name,
      state: e.state,
      stale: this.isStale(e.receivedAt, now),
    }));
    // Built once per change, host filter and staleness: at 200 hosts x 100 projects a build is
    // 20,000 projects, and every page request, stream and notifier asks (the result is shared:
    // nobody may change it).
    const key = `${this.version}|${hosts.map((h) => (h.stale ? 1 : 0)).join("")}|${only.join("\u0000")}`;
    const kept = this.built.get(key);
    if (kept) return kept;
    const state = liveState(this.cfg.role, hosts, only, this.cfg.pollIntervalMs, this.updates || null);
    if (![...this.built.keys()].every((k) => k.startsWith(`${this.version}|`))) this.built.clear();
    if (this.built.size >= MEMO_SIZE) this.built.delete(this.built.keys().next().value!);
    this.built.set(key, state);
    return state;
  }

  onPolled(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private publish(at: Date): void {
    this.lastPublishAt = at.getTime();
    const state = this.state();
    if (!state) return;
    // Whether anything a screen shows moved: history (episodes, containers), reachability,
    // a source's status, the health counts or the hosts. Live pages refetch only then.
    const signature = `${state.docker.reachable}|${state.sources.map((x) => `${x.host ?? ""}/${x.id}:${x.status}`).join(",")}|${JSON.stringify(state.summary)}|${this.hosts.size}`;
    const changed = this.pendingHistory || signature !== this.lastSignature;
    this.lastSignature = signature;
    this.pendingHistory = false;
    for (const l of this.listeners) l(state, at, changed);
  }

  /** Retention, at most hourly: rows past the window go, each host's poll counts are recounted. */
  async maybePrune(now: Date): Promise<boolean> {
    if (!this.mayPrune() || now.getTime() - this.lastPrune < PRUNE_EVERY_MS) return false;
    this.lastPrune = now.getTime();
    const who = this.cfg.role === "server" ? "server" : "collector";
    try {
      const cutoff = new Date(now.getTime() - this.cfg.retentionDays * 86400_000);
      const n = { ...(await pruneHistory(this.db, cutoff)), rolledUp: await maintainPolls(this.db, now) };
      if (n.polls + n.episodes + n.events + n.modeChanges + n.rolledUp === 0) return false;
      if (n.polls + n.rolledUp > 0) await recountHostPolls(this.db);
      log(who, "info", "pruned history", { before: cutoff.toISOString(), ...n });
      return n.polls + n.rolledUp > 0;
    } catch (err) {
      log(who, "error", "pruning failed", { error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }
}
