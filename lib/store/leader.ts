// Issue 26: with more than one server process on one PostgreSQL, exactly one sends
// notifications and prunes. It holds a session advisory lock on its own connection (Prisma's
// pool cannot keep one session); when its process dies, PostgreSQL ends the session and frees
// the lock, and a standby that retries every `retryMs` takes it over.
import pg from "pg";
import { log } from "../log";

/** The lock's key: "L9" and the issue number, one per database. */
const LEADER_KEY = 0x4c39_0026;

export class LeaderLock {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private leader = false;
  private readonly waiters: (() => void)[] = [];
  /** tries so far (taken or refused), for health and tests */
  attempts = 0;

  constructor(
    private readonly url: string,
    private readonly retryMs = 10_000,
  ) {}

  isLeader(): boolean {
    return this.leader;
  }

  /** Resolves once this process holds the lock (not a timer: it resolves on the take-over). */
  whenLeader(): Promise<void> {
    return this.leader ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }

  start(): void {
    this.stopped = false;
    void this.attempt();
  }

  private async attempt(): Promise<void> {
    this.timer = null;
    if (this.stopped) return;
    try {
      if (!this.client) {
        const c = new pg.Client({ connectionString: this.url, keepAlive: true });
        // A lost session is a lost lock: step down, and try again on a new connection.
        c.on("error", () => this.lost(c));
        c.on("end", () => this.lost(c));
        await c.connect();
        this.client = c;
      }
      const r = await this.client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [
        LEADER_KEY,
      ]);
      this.attempts += 1;
      if (r.rows[0]?.ok) {
        this.leader = true;
        log("server", "info", "this process sends notifications and prunes (leader lock taken)");
        for (const w of this.waiters.splice(0)) w();
        return;
      }
    } catch (err) {
      log("server", "warn", "leader lock: could not ask", { error: String(err) });
      this.client?.end().catch(() => undefined);
      this.client = null;
    }
    this.schedule();
  }

  private lost(c: pg.Client): void {
    if (this.client !== c) return;
    this.client = null;
    if (this.leader) log("server", "warn", "leader lock lost with its connection: stepping down");
    this.leader = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => void this.attempt(), this.retryMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.leader = false;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}
