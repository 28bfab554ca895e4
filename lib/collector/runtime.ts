// The process's one collector (standalone and agent roles) or fleet (server role), on
// globalThis (Next evaluates modules more than once). Each feeds one live view (lib/collector/
// live.ts); `live()` is that view, what pages and the event stream read.
import { env } from "../env";
import { getDb } from "../db";
import { getDockerClient } from "../docker/shared";
import { Collector } from "./collector";
import { Fleet } from "./fleet";
import { collectorStatus } from "./status";
import { log } from "../log";
import { Notifier } from "../notify/notifier";
import { phaseSummary } from "./evaluate";
import { dockerCounters } from "../docker/client";
import { Shipper } from "../agent/shipper";
import { LeaderLock } from "../store/leader";
import { FleetFanout } from "../store/fanout";
import { isPostgresUrl } from "../env";
import type { ApiState } from "../contracts/state";
import type { LiveView } from "./live";

const g = globalThis as typeof globalThis & {
  __l9Collector?: Collector;
  __l9Notifier?: Notifier;
  __l9Shipper?: Shipper;
  __l9Fleet?: Fleet;
  __l9Leader?: LeaderLock | null;
};

function notifierFor(): Notifier {
  const cfg = env();
  const db = getDb();
  g.__l9Notifier ??= new Notifier(db, cfg, (now) => phaseSummary(db, cfg, now, dockerCounters.refusedWrites));
  return g.__l9Notifier;
}

export function getCollector(): Collector {
  if (!g.__l9Collector) {
    const cfg = env();
    const db = getDb();
    const collector = new Collector({ cfg, db, docker: getDockerClient() });
    if (cfg.role !== "server") {
      // Built-in notifications follow every poll, without ever holding it up.
      const notifier = notifierFor();
      collector.live.onPolled((state, at) => void notifier.onPolled(state, at));
    }
    if (cfg.role === "agent") {
      const shipper = new Shipper(db, cfg);
      collector.onRecorded((info, state) => void shipper.enqueue(info, state));
      g.__l9Shipper = shipper;
    }
    g.__l9Collector = collector;
  }
  return g.__l9Collector;
}

/** The server role's hosts (issue 14). */
export function getFleet(): Fleet {
  if (!g.__l9Fleet) {
    const fleet = new Fleet(getDb(), env());
    const notifier = notifierFor();
    // Issue 26: on PostgreSQL several server processes may share the database; one notifies and prunes.
    const leader = isPostgresUrl(env().databaseUrl) ? new LeaderLock(env().databaseUrl) : null;
    g.__l9Leader = leader;
    leader?.start();
    if (isPostgresUrl(env().databaseUrl)) {
      const fanout = new FleetFanout(
        env().databaseUrl,
        (host) =>
          void fleet
            .reload(host)
            .catch((err: unknown) =>
              log("server", "warn", "fan-out: could not reload a host", { host, error: String(err) }),
            ),
      );
      fleet.publish = (host) => void fanout.publish(host);
      void fanout.start();
    }
    fleet.live.mayPrune = () => leader?.isLeader() ?? true;
    // A process that stood down forgets its episodes: on taking over it reads them back (the
    // leader stores them), so it neither repeats a firing nor misses a "resolved".
    let leading = false;
    fleet.live.onPolled((state, at) => {
      const now = leader?.isLeader() ?? true;
      if (leading && !now) notifier.standDown();
      leading = now;
      if (now) void notifier.onPolled(state, at);
    });
    g.__l9Fleet = fleet;
  }
  return g.__l9Fleet;
}

/** Whether this process sends notifications and prunes (a server on PostgreSQL: the lock holder). */
export function isNotifyingProcess(): boolean {
  if (env().role === "server") getFleet();
  return g.__l9Leader?.isLeader() ?? true;
}

export function getShipper(): Shipper | null {
  getCollector();
  return g.__l9Shipper ?? null;
}

export function getNotifier(): Notifier {
  if (env().role === "server") getFleet();
  else getCollector();
  return notifierFor();
}

/** What screens read, whichever the role: the live view of this machine or of a server's hosts. */
export type Live = {
  state: (hosts?: readonly string[]) => Promise<ApiState>;
  latestState: () => ApiState | null;
  onPolled: LiveView["onPolled"];
};

export function live(): Live {
  if (env().role === "server") {
    const fleet = getFleet();
    return {
      state: async (hosts) => (await fleet.ready(), fleet.live.state(hosts)!),
      latestState: () => fleet.latestState(),
      onPolled: (l) => fleet.live.onPolled(l),
    };
  }
  const c = getCollector();
  return {
    state: async (hosts) => c.live.state(hosts) ?? (await c.pollOnce(), c.live.state(hosts)!),
    latestState: () => c.live.state(),
    onPolled: (l) => c.live.onPolled(l),
  };
}

/** After a person changed phases or acknowledgements: this machine's collector re-reads them. */
export async function afterSettingsChange(now: Date, what: "phases" | "acks"): Promise<void> {
  if (env().role === "server") return;
  const c = getCollector();
  if (what === "phases") await c.refreshPhases(now);
  else {
    await c.refreshAcks(now);
    c.trigger();
  }
}

/** Starts the background collector once per process (the server role starts no collector). */
export async function startCollector(): Promise<void> {
  const cfg = env();
  if (cfg.role === "server") {
    collectorStatus().running = true;
    await getFleet()
      .ready()
      .catch((err) =>
        log("server", "error", "could not load hosts from the database", {
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    log("server", "info", "started: waiting for agents", {
      hosts: cfg.server.agentTokens.map((t) => t.host),
      stale_after_ms: cfg.server.hostStaleMs,
    });
    return;
  }
  const c = getCollector();
  collectorStatus().running = true;
  try {
    await c.ready();
  } catch (err) {
    log("collector", "error", "could not load history from the database", {
      error: err instanceof Error ? err.message : String(err),
    });
  }
  c.start();
  log(cfg.role === "agent" ? "agent" : "collector", "info", "started", {
    docker: c.cfg.dockerHost,
    registry: c.cfg.registryPath,
    interval_ms: c.cfg.pollIntervalMs,
    ...(cfg.role === "agent" ? { server: cfg.agent.serverUrl, host: cfg.agent.hostName } : {}),
  });
  if (cfg.role === "agent") void getShipper()?.flush();
}

/** Stops the collector and the agent's sender (scripts/agent.ts on SIGTERM). */
export async function stopCollector(): Promise<void> {
  await g.__l9Collector?.stop();
  await g.__l9Shipper?.stop();
}
