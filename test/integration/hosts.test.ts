// Many hosts, one server (issue 14), with real parts: two agents (each a real collector over
// the private daemon with its own fleet and database) deliver their polls over real HTTP to
// the server's own route handler, which stores them in the server's database (SQLite here,
// PostgreSQL in the integration-pg project). The server is stopped and started again to
// prove the agents' disk buffers: no poll lost, none doubled.
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { Fleet as TestFleet } from "../support/fleet";
import { freshDatabaseUrl, makeHarness, type Harness } from "../support/harness";
import { Shipper } from "../../lib/agent/shipper";
import { parseEnv } from "../../lib/env";
import { getDb } from "../../lib/db";
import { outboxSize } from "../../lib/store/hosts";
import { getProjectCheckCounts } from "../../lib/store/history";
import type { AgentBatch } from "../../lib/contracts/agent";
import { activeIndexersSnapshotSchema } from "../../lib/contracts/ingest";
import { recordReadEvents } from "../../lib/store/instances";

const TOKENS = {
  ana: "ana-token-0123456789abcdef",
  bo: "bo-token-0123456789abcdef",
  cy: "cy-token-0123456789abcdef",
  dee: "dee-token-0123456789abcdef",
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-hosts-"));

type Agent = { h: Harness; shipper: Shipper; host: string; fleet: TestFleet; off: () => void };

let server: http.Server | null = null;
let port = 0;
const agents: Agent[] = [];

/** The server's real route handler behind a real HTTP listener on loopback. */
async function startServer(): Promise<void> {
  const { POST } = await import("../../app/api/v1/agent/polls/route");
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = new Request(`http://127.0.0.1:${port}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      void POST(request).then(async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
  port = (server!.address() as { port: number }).port;
}

async function stopServer(): Promise<void> {
  const s = server;
  server = null;
  s?.closeAllConnections();
  await new Promise((r) => s?.close(r));
}

async function startAgent(host: string, extra: Record<string, string> = {}): Promise<Agent> {
  const socket = inject("dockerSocket");
  const fleet = new TestFleet(socket);
  const h = await makeHarness({ dockerHost: `unix://${socket}`, selector: fleet.selector });
  const cfg = parseEnv({
    DATABASE_URL: h.cfg.databaseUrl,
    L9_ROLE: "agent",
    L9_SERVER_URL: `http://127.0.0.1:${port}`,
    L9_AGENT_TOKEN: TOKENS[host as keyof typeof TOKENS] ?? "unknown-token-0123456789",
    L9_HOST_NAME: host,
    ...extra,
  });
  const shipper = new Shipper(h.db, cfg);
  const off = h.collector.onRecorded((info, state) => void shipper.enqueue(info, state));
  const a = { h, shipper, host, fleet, off };
  agents.push(a);
  return a;
}

/** One poll on the agent, then its delivery settled (sent, or buffered after a failure). */
async function pollAndShip(a: Agent): Promise<void> {
  await a.h.collector.pollOnce();
  // Not a sleep: the poll's message is buffered and a delivery after it has ended.
  await a.shipper.settled();
}

beforeAll(async () => {
  // The server's configuration: what `npm start` with L9_ROLE=server reads.
  process.env.DATABASE_URL = await freshDatabaseUrl(dir);
  process.env.L9_ROLE = "server";
  process.env.L9_AGENT_TOKENS = Object.entries(TOKENS)
    .map(([h, t]) => `${h}:${t}`)
    .join(",");
  process.env.L9_HOST_STALE_MS = "1500";
  await startServer();
});

afterAll(async () => {
  for (const a of agents) {
    a.off();
    await a.shipper.stop();
    await a.h.close();
    await a.fleet.cleanup();
  }
  await stopServer();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("agents deliver to one server", () => {
  test("two hosts with the same project name: one state, each project with its host", async () => {
    const ana = await startAgent("ana");
    const bo = await startAgent("bo");
    await ana.fleet.run({ project: "alpha", port: 48301, phase1: true });
    ana.h.writeRegistry({ alpha: 48301 });
    await bo.fleet.run({ project: "alpha", port: 48302, phase1: true });
    bo.h.writeRegistry({ alpha: 48399 }); // bo's registry disagrees with its Docker
    for (let i = 0; i < 3; i++) {
      await pollAndShip(ana);
      await pollAndShip(bo);
    }
    const { getState } = await import("../../lib/services/state");
    const state = await getState();
    const alphas = state.projects.filter((p) => p.project === "alpha");
    expect(alphas.map((p) => [p.host, p.health])).toEqual([
      ["ana", "consistent"],
      ["bo", "diverged"],
    ]);
    expect(state.summary.checks).toBe(2);
    expect(state.summary.diverged).toBe(1);
    // ?host= narrows the state
    const onlyBo = await getState(new URLSearchParams("host=bo"));
    expect(onlyBo.projects.map((p) => p.host)).toEqual(["bo"]);

    const { listHostsFor } = await import("../../lib/services/agent");
    const hosts = await listHostsFor();
    expect(hosts.hosts.map((h) => [h.host, h.status, h.last_poll_id, h.missing_polls, h.buffered])).toEqual([
      ["ana", "ok", 3, 0, 0],
      ["bo", "ok", 3, 0, 0],
    ]);
    expect(hosts.hosts[0]!.agent_version).toMatch(/^l9-agent\//);

    // The fleet's divergence over both hosts, with each host's share in the evidence.
    const { evaluateAt } = await import("../../lib/services/evaluate");
    const { env } = await import("../../lib/env");
    const report = await evaluateAt(getDb(), env(), "1h", new Date(), 0);
    const rate = report.phases[0]!.criteria.find((c) => c.id === "divergence_rate")!;
    expect(rate.status).toBe("insufficient_data"); // 6 checks: far below the minimum
    const byHost = (
      rate.evidence.details as { by_host: { host: string; checks: number; diverged: number }[] }
    ).by_host;
    expect(byHost.map((h) => [h.host, h.checks, h.diverged])).toEqual([
      ["ana", 3, 0],
      ["bo", 3, 3],
    ]);
    // Stored per host: bo's diverged episode is on the server with its host.
    const episodes = await getDb().findingEpisode.findMany({ where: { host: "bo" } });
    expect(episodes.map((e) => e.project)).toContain("alpha");
    expect(await getDb().findingEpisode.count({ where: { host: "ana" } })).toBe(0);
    // ...and its check runs: the project page's counts on the server match the agent's own.
    const hour = [new Date(Date.now() - 3600_000), new Date()] as const;
    expect(await getProjectCheckCounts(getDb(), "alpha", ...hour, "bo")).toEqual(
      await getProjectCheckCounts(bo.h.db, "alpha", ...hour),
    );
    expect(await getProjectCheckCounts(getDb(), "alpha", ...hour, "bo")).toMatchObject({
      checks: 3,
      diverged: 3,
    });
  });

  test("read events and orchestrator restarts travel with the polls, each once", async () => {
    const bo = agents.find((a) => a.host === "bo")!;
    const at = new Date();
    await recordReadEvents(
      bo.h.db,
      [0, 1, 2, 3].map((i) => ({
        instanceId: "mcp-bo",
        at: new Date(at.getTime() - i * 1000),
        project: "alpha",
        servedBy: i === 0 ? "fallback" : i === 3 ? "cache" : "docker",
        dockerOk: i !== 0,
        latencyMs: 3,
        // CONTRACT 7g: how the fallback answered, and a cache answer 12 s old (stale past 5 s).
        fallbackVia: i === 0 ? "env" : null,
        cacheAgeMs: i === 3 ? 12_000 : null,
      })),
    );
    const snap = (startedAt: Date) =>
      activeIndexersSnapshotSchema.parse({
        instance_id: "mcp-bo",
        started_at: startedAt.toISOString(),
        taken_at: new Date().toISOString(),
        indexers: {},
      });
    await bo.h.collector.ingestSnapshot(snap(new Date(at.getTime() - 60_000)), "push:t");
    await bo.h.collector.ingestSnapshot(snap(new Date(at.getTime() - 1_000)), "push:t"); // a restart
    await pollAndShip(bo);
    await pollAndShip(bo);
    const reads = await getDb().readEvent.findMany({ where: { host: "bo" }, orderBy: { ref: "asc" } });
    expect(reads.map((r) => [r.ref, r.servedBy, r.fallbackVia, r.cacheAgeMs])).toEqual([
      [1, "fallback", "env", null],
      [2, "docker", null, null],
      [3, "docker", null, null],
      [4, "cache", null, 12_000],
    ]);
    const restarts = await getDb().restart.findMany({ where: { host: "bo" } });
    expect(restarts).toHaveLength(1);
    expect(restarts[0]!.instanceId).toBe("mcp-bo");
    // Phase 2's read criteria see the host's reads on the server.
    const { evaluateAt } = await import("../../lib/services/evaluate");
    const { env } = await import("../../lib/env");
    const report = await evaluateAt(getDb(), env(), "1h", new Date(), 0, ["bo"]);
    const fallback = report.phases[2]!.criteria.find((c) => c.id === "fallback_rate")!;
    expect(fallback.evidence.summary).toMatch(/^3 read-path events/);
    // The cache read is in neither rate, and its age reached the server: stale, not met.
    const stale = report.phases[2]!.criteria.find((c) => c.id === "no_stale_cache_reads")!;
    expect(stale).toMatchObject({ status: "not_met", actual: 1 });
  });

  test("the server down: polls wait on the agent's disk, then arrive once, in order", async () => {
    const ana = agents.find((a) => a.host === "ana")!;
    await stopServer();
    for (let i = 0; i < 4; i++) await pollAndShip(ana);
    expect(await outboxSize(ana.h.db)).toBe(4);
    expect(ana.shipper.status.lastError).toMatch(/fetch failed|ECONNREFUSED/);
    await startServer(); // same port
    await ana.shipper.flush();
    expect(await outboxSize(ana.h.db)).toBe(0);
    const ids = (await getDb().poll.findMany({ where: { host: "ana" }, orderBy: { id: "asc" } })).map(
      (p) => p.id,
    );
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7]);

    // A delivery sent twice (its answer lost) is stored once.
    const again = (
      await ana.h.db.poll.findMany({ where: { host: "" }, orderBy: { id: "asc" }, take: 2 })
    ).map((p) => p.id);
    expect(again).toEqual([1, 2]);
    const res = await post(TOKENS.ana, batch("ana", [1, 2]));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await getDb().poll.count({ where: { host: "ana" } })).toBe(7);
  });

  test("a full buffer drops the oldest polls, counted, and the server shows them missing", async () => {
    const cy = await startAgent("cy", { L9_AGENT_BUFFER_MAX: "10" });
    await pollAndShip(cy); // poll 1 reaches the server
    await stopServer();
    for (let i = 0; i < 13; i++) await pollAndShip(cy); // polls 2..14 while it is down
    expect(await outboxSize(cy.h.db)).toBe(10);
    expect(cy.shipper.status.dropped).toBe(3);
    await startServer();
    await cy.shipper.flush();
    const { listHostsFor } = await import("../../lib/services/agent");
    const row = (await listHostsFor()).hosts.find((h) => h.host === "cy")!;
    expect(row).toMatchObject({ last_poll_id: 14, dropped: 3, missing_polls: 3, buffered: 0 });
    const ids = (await getDb().poll.findMany({ where: { host: "cy" }, orderBy: { id: "asc" } })).map(
      (p) => p.id,
    );
    expect(ids).toEqual([1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    // The dropped polls' checks still count: the running totals travel with every poll.
    const { getWindowFigures } = await import("../../lib/store/window-figures");
    const local = await getWindowFigures(cy.h.db, new Date(Date.now() - 3600_000), new Date());
    const onServer = await getWindowFigures(getDb(), new Date(Date.now() - 3600_000), new Date(), ["cy"]);
    expect(onServer.checks).toBe(local.checks);
  });

  test("a host whose agent is silent goes stale: its projects unknown, never healthy-looking", async () => {
    const { getState } = await import("../../lib/services/state");
    const ana = agents.find((a) => a.host === "ana")!;
    await pollAndShip(ana);
    await new Promise((r) => setTimeout(r, 1700)); // L9_HOST_STALE_MS=1500
    const state = await getState();
    for (const p of state.projects) expect(p.health).toBe("unknown");
    expect(state.summary.checks).toBe(0);
    expect(state.docker.reachable).toBe(false);
    const { listHostsFor } = await import("../../lib/services/agent");
    expect((await listHostsFor()).hosts.map((h) => h.status)).toEqual(["stale", "stale", "stale"]);
    await pollAndShip(ana);
    expect((await getState()).projects.find((p) => p.host === "ana")?.health).toBe("consistent");
  });
});

function batch(host: string, ids: number[]): AgentBatch {
  return {
    host,
    agent_version: "test",
    buffered: 0,
    dropped: 0,
    polls: ids.map((id) => ({
      id,
      polled_at: new Date().toISOString(),
      docker_reachable: true,
      docker_latency_ms: 1,
      docker_error: null,
      duration_ms: 1,
      interval_ms: 5000,
      checks: 1,
      diverged: 0,
      diverged_ack: 0,
      projects: 1,
      kind_counts: {},
      seq: id,
      cum_checks: id,
      cum_diverged: 0,
      cum_diverged_ack: 0,
      cum_kinds: {},
      cum_covered_ms: (id - 1) * 5000,
      cum_latency_ms: id,
      simulated: false,
      new_containers: [],
      episodes_opened: [],
      episodes_closed: [],
      state: null,
    })),
  };
}

function post(token: string | null, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`http://127.0.0.1:${port}/api/v1/agent/polls`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe("who may deliver", () => {
  test("a token writes only its own host; no token, a wrong one or a browser is refused", async () => {
    const before = await getDb().poll.count();
    const asBo = await post(TOKENS.ana, batch("bo", [900]));
    expect(asBo.status).toBe(403);
    expect(((await asBo.json()) as { error: { message: string } }).error.message).toMatch(/only host "ana"/);
    expect((await post(null, batch("ana", [901]))).status).toBe(401);
    expect((await post("wrong-token-0123456789abcdef", batch("ana", [902]))).status).toBe(401);
    expect(
      (
        await post(TOKENS.ana, batch("ana", [903]), {
          origin: "http://evil.example",
          "sec-fetch-site": "cross-site",
        })
      ).status,
    ).toBe(403);
    // A second agent database under ana's name (a wiped agent: its ids start again) is refused.
    const stored = (await getDb().host.findUnique({ where: { name: "ana" } }))!;
    expect(stored.agentId).toBeGreaterThan(0);
    const other = await post(TOKENS.ana, { ...batch("ana", [1]), agent_id: (stored.agentId! % 1000) + 1 });
    expect(other.status).toBe(409);
    expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(
      /new L9_HOST_NAME/,
    );
    const bad = await post(TOKENS.ana, { host: "ana", polls: [{ id: "x" }] });
    expect(bad.status).toBe(400);
    expect(await getDb().poll.count()).toBe(before);
  });

  test("a container that stops, then goes, on an agent is stopped, then removed, on the server too", async () => {
    // One poll record carries what a poll changed, so the server's container history is the agent's.
    const dee = await startAgent("dee");
    const id = await dee.fleet.run({ project: "delta", port: 48311, phase1: true });
    await pollAndShip(dee);
    const { getProjectContainers } = await import("../../lib/store/history");
    const on = async () =>
      (await getProjectContainers(getDb(), "delta", new Date(Date.now() - 3600_000), new Date(), "dee"))[0]!;
    expect(await on()).toMatchObject({ state: "running", stopped_at: null, removed_at: null });
    await dee.fleet.stop(id);
    await pollAndShip(dee);
    const stopped = await on();
    expect(stopped.state).not.toBe("running");
    expect(stopped.stopped_at).not.toBeNull();
    expect(stopped.removed_at).toBeNull();
    await dee.fleet.remove(id);
    await pollAndShip(dee);
    expect((await on()).removed_at).not.toBeNull();
  });
});
