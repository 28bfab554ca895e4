// Issue 26: several server processes on one PostgreSQL show the same live state. A process
// that stored a delivery says so on the `l9_fleet` channel (NOTIFY, payload "<origin> <host>");
// every other process reloads that host's row. On its own connection (LISTEN holds a session);
// after a lost connection it listens again and reloads every host ("*"): it may have missed some.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { log } from "../log";

const CHANNEL = "l9_fleet";

export class FleetFanout {
  private client: pg.Client | null = null;
  private stopped = false;
  readonly origin = randomUUID().slice(0, 8);

  constructor(
    private readonly url: string,
    private readonly onHost: (host: string) => void,
    private readonly retryMs = 1000,
  ) {}

  async start(): Promise<void> {
    if (this.stopped || this.client) return;
    const c = new pg.Client({ connectionString: this.url, keepAlive: true });
    c.on("notification", (m) => {
      const [origin, host] = (m.payload ?? "").split(" ", 2);
      if (origin !== this.origin && host) this.onHost(host);
    });
    const lost = () => {
      if (this.client !== c) return;
      this.client = null;
      if (this.stopped) return;
      log("server", "warn", "fan-out connection lost: listening again");
      setTimeout(() => void this.start().then(() => this.onHost("*")), this.retryMs).unref?.();
    };
    c.on("error", lost);
    c.on("end", lost);
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      this.client = c;
    } catch (err) {
      log("server", "warn", "fan-out: could not listen", { error: String(err) });
      await c.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.start(), this.retryMs).unref?.();
    }
  }

  /** Tells the other processes that a host's row changed (best effort: never throws). */
  async publish(host: string): Promise<void> {
    await this.client
      ?.query("SELECT pg_notify($1, $2)", [CHANNEL, `${this.origin} ${host}`])
      .catch((err: unknown) => log("server", "warn", "fan-out: could not notify", { error: String(err) }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}
