// Issue 26: two server fleets on one real PostgreSQL database, each with its own connections,
// as two server processes have: a delivery stored by one reaches the other's live view through
// LISTEN/NOTIFY (lib/store/fanout.ts), and the one that stored it does not reload its own.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startPrivatePostgres, type PrivatePostgres } from "../../lib/dev/private-postgres";
import { applyMigrations } from "../../scripts/schema-engine.mjs";
import { closeDb, getDb } from "../../lib/db";
import { parseEnv } from "../../lib/env";
import { Fleet } from "../../lib/collector/fleet";
import { FleetFanout } from "../../lib/store/fanout";
import { agentBatchSchema } from "../../lib/contracts/agent";
import type { ApiState } from "../../lib/contracts/state";

let server: PrivatePostgres;
let url = "";
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startPrivatePostgres();
  url = await server.createDatabase("fanout");
  await applyMigrations(url);
});

afterAll(async () => {
  for (const s of stops) await s();
  await closeDb(url);
  await server.stop();
});

const at = new Date(Date.now() - 1000).toISOString();
const state = {
  polled_at: at,
  poll_id: 1,
  simulated: true,
  docker: { reachable: true, endpoint: "unix:///x.sock", latency_ms: 3, error: null, last_ok_at: at },
  sources: [],
  summary: {
    checks: 0,
    diverged: 0,
    divergence_rate: 0,
    diverged_acknowledged: 0,
    divergence_rate_acknowledged: 0,
    acknowledgements_in_force: 0,
    projects: 1,
    health: { consistent: 0, warning: 0, diverged: 0, unknown: 1 },
  },
  projects: [{ project: "alpha", health: "unknown", containers: [], checks: [], findings: [], sources: {} }],
  unassigned_containers: [],
  collector: { poll_interval_ms: 5000, duration_ms: 4 },
};
const batch = agentBatchSchema.parse({
  host: "ana",
  agent_version: "test",
  buffered: 0,
  dropped: 0,
  polls: [
    {
      id: 1,
      polled_at: at,
      docker_reachable: true,
      docker_latency_ms: 3,
      docker_error: null,
      duration_ms: 4,
      interval_ms: 5000,
      checks: 0,
      diverged: 0,
      diverged_ack: 0,
      projects: 1,
      kind_counts: {},
      seq: 1,
      cum_checks: 0,
      cum_diverged: 0,
      cum_diverged_ack: 0,
      cum_kinds: {},
      cum_covered_ms: 0,
      cum_latency_ms: 3,
      simulated: true,
      new_containers: [],
      episodes_opened: [],
      episodes_closed: [],
      state,
    },
  ],
});

/** A server process's fleet: its own fan-out connection; what its live view publishes is kept. */
async function serverFleet() {
  const cfg = parseEnv({
    DATABASE_URL: url,
    L9_ROLE: "server",
    L9_AGENT_TOKENS: "ana:ana-token-0123456789abcdef",
  });
  const fleet = new Fleet(getDb(url), cfg);
  const seen: ApiState[] = [];
  fleet.live.onPolled((s) => void seen.push(s));
  const reloads: string[] = [];
  const fanout = new FleetFanout(url, (host) => {
    reloads.push(host);
    void fleet.reload(host);
  });
  fleet.publish = (host) => void fanout.publish(host);
  await fanout.start();
  await fleet.ready();
  stops.push(() => fanout.stop());
  return { fleet, seen, reloads };
}

test(
  "a delivery stored by one server process shows in the other's live view",
  { timeout: 60_000 },
  async () => {
    const a = await serverFleet();
    const b = await serverFleet();
    expect(await b.fleet.list()).toEqual([]);
    await a.fleet.ingest(batch);
    // Not a sleep: wait for b's live view to publish a state with ana's project (the test's timeout bounds it).
    while (!b.seen.some((s) => s.projects.some((p) => p.host === "ana" && p.project === "alpha")))
      await new Promise((r) => setTimeout(r, 20));
    expect(b.reloads).toEqual(["ana"]);
    expect((await b.fleet.list()).map((h) => [h.host, h.last_poll_id])).toEqual([["ana", 1]]);
    expect(a.reloads).toEqual([]);
  },
);
