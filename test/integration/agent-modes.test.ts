// Issue 25 on a team server, with real parts: two agents (real collectors on the private
// daemon, each its own database, snapshots through the collector's own ingest path) whose
// processes run different modes deliver through the server's real route handler on loopback.
// The server splits each phase by mode over the fleet and per host, a review's mixed-mode
// warning spans hosts, a mode change sent in a hash-only delivery is kept, an older agent's
// body is accepted, a bad value stores nothing, and the retention keeps each process's last
// change. SQLite here, PostgreSQL in the integration-pg project.
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { freshDatabaseUrl, makeHarness, type Harness } from "../support/harness";
import { Shipper } from "../../lib/agent/shipper";
import { parseEnv, type Env } from "../../lib/env";
import { getDb } from "../../lib/db";
import { activeIndexersSnapshotSchema } from "../../lib/contracts/ingest";
import { recordReadEvents } from "../../lib/store/instances";
import { setPhase } from "../../lib/store/phases";
import { pruneHistory } from "../../lib/store/polls";
import { evaluateAt } from "../../lib/services/evaluate";
import { MODE_CHANGES_PER_PROCESS } from "../../lib/core/mode-retention";
import type { AgentBatch } from "../../lib/contracts/agent";
import type { ApiState } from "../../lib/contracts/state";

const TOKENS = {
  ana: "ana-token-0123456789abcdef",
  bo: "bo-token-0123456789abcdef",
  cy: "cy-token-0123456789abcdef",
};
type HostName = keyof typeof TOKENS;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-agent-modes-"));
type Delivery = { status: number; body: AgentBatch };
const deliveries: Delivery[] = [];
let server: http.Server | null = null;
let port = 0;
let serverCfg: Env;
const cleanups: (() => Promise<void>)[] = [];

// A walking clock in the past (the server refuses times ahead of its own clock).
const T0 = Date.now() - 60 * 60_000;
let clock = T0;
const at = (min: number) => new Date(T0 + min * 60_000);

async function startServer(): Promise<void> {
  const { POST } = await import("../../app/api/v1/agent/polls/route");
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const request = new Request(`http://127.0.0.1:${port}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: raw,
      });
      void POST(request).then(async (r) => {
        deliveries.push({ status: r.status, body: JSON.parse(raw.toString()) as AgentBatch });
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  port = (server!.address() as { port: number }).port;
}

type Agent = { h: Harness; shipper: Shipper; pending: Promise<void>[] };

async function startAgent(host: HostName): Promise<Agent> {
  const h = await makeHarness({
    dockerHost: `unix://${inject("dockerSocket")}`,
    selector: "com.l9.managed=true,com.l9.testrun=none",
    env: { L9_INSTANCE_STALE_MS: "3600000" },
    now: () => new Date(clock),
  });
  h.writeRegistry({});
  const cfg = parseEnv({
    DATABASE_URL: h.cfg.databaseUrl,
    L9_ROLE: "agent",
    L9_SERVER_URL: `http://127.0.0.1:${port}`,
    L9_AGENT_TOKEN: TOKENS[host],
    L9_HOST_NAME: host,
  });
  const shipper = new Shipper(h.db, cfg);
  const a: Agent = { h, shipper, pending: [] };
  const off = h.collector.onRecorded((info, state: ApiState) => {
    a.pending.push(shipper.enqueue(info, state));
  });
  cleanups.push(async () => {
    off();
    await shipper.stop();
    await h.close();
  });
  return a;
}

/** At minute `min`: the snapshots, then one poll on the agent, delivered. */
async function step(a: Agent, min: number, snaps: [string, Record<string, unknown>][]): Promise<void> {
  clock = at(min).getTime();
  for (const [id, extra] of snaps)
    await a.h.collector.ingestSnapshot(
      activeIndexersSnapshotSchema.parse({
        instance_id: id,
        started_at: at(extra.started ? Number(extra.started) : min).toISOString(),
        taken_at: at(min).toISOString(),
        indexers: {},
        ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "started")),
      }),
      "push:test",
    );
  await a.h.collector.pollOnce();
  await Promise.all(a.pending);
  await a.shipper.settled();
}

const reads = (id: string, min: number, n: number, servedBy: "docker" | "fallback") =>
  Array.from({ length: n }, (_, i) => ({
    instanceId: id,
    at: new Date(at(min).getTime() + i * 100),
    project: "alpha",
    servedBy,
    dockerOk: servedBy === "docker",
    latencyMs: 1,
  }));

const ANA = { mode: "docker_first", code_version: "e94f4d8", started: 1 };
const site = (min: number) => ({
  dict: "active_indexers",
  site: "/srv/indexer_orchestrator.py:238",
  count: 7,
  last_read: at(min).toISOString(),
});
const ANA_COUNTING = { ...ANA, legacy_reads: { since: at(1).toISOString(), sites: [site(1)] } };

beforeAll(async () => {
  process.env.DATABASE_URL = await freshDatabaseUrl(dir);
  process.env.L9_ROLE = "server";
  process.env.L9_AGENT_TOKENS = Object.entries(TOKENS)
    .map(([h, t]) => `${h}:${t}`)
    .join(",");
  serverCfg = parseEnv({
    DATABASE_URL: process.env.DATABASE_URL,
    L9_ROLE: "server",
    L9_AGENT_TOKENS: process.env.L9_AGENT_TOKENS,
  });
  await startServer();
});

afterAll(async () => {
  for (const c of cleanups) await c();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

const last = (d: Delivery) => d.body.polls.at(-1)!;
const p2 = (r: Awaited<ReturnType<typeof evaluateAt>>) => r.phases[2]!;
const fallbackRate = (r: Awaited<ReturnType<typeof evaluateAt>>) =>
  p2(r).criteria.find((c) => c.id === "fallback_rate")!.actual;

describe("modes on a team server (issue 25)", () => {
  test("two hosts in different modes: phases split by mode fleet-wide and per host, mixed modes warned across hosts", async () => {
    const db = getDb();
    await setPhase(db, { phase: 2, startedAt: at(-20), setBy: "test", note: "" }, at(-20));
    const ana = await startAgent("ana");
    const bo = await startAgent("bo");

    // ana: an old process on Phase 1's code from minute -8, exiting cleanly at -6.
    await step(ana, -8, [["mcp-ana-old", { mode: "dict_first", code_version: "2a67b60", started: -8 }]]);
    await step(ana, -6, [
      ["mcp-ana-old", { mode: "dict_first", code_version: "2a67b60", started: -8, ended: true }],
    ]);
    // ana: its process on Phase 2's code from minute 1, counting its legacy reads; Docker reads at 2.
    await recordReadEvents(ana.h.db, reads("mcp-ana", 2, 120, "docker"));
    await step(ana, 1, [["mcp-ana", ANA_COUNTING]]);
    // bo: a process still on Phase 1's code from minute 10.
    await step(bo, 10, [["mcp-bo", { mode: "dict_first", code_version: "2a67b60", started: 10 }]]);
    await step(ana, 10, [["mcp-ana", ANA_COUNTING]]);

    // Minute 10: the fleet runs two modes, on two hosts: a review would warn.
    const mixed = await evaluateAt(db, serverCfg, "30m", at(10), 0);
    expect(mixed.modes?.warnings).toEqual([
      "processes run mixed modes: 1 dict_first, 1 docker_first",
      "1 of 2 processes run a mode behind Phase 2's docker_first: bo/mcp-bo (dict_first)",
    ]);
    expect(mixed.modes?.live.map((l) => [l.host, l.instance_id, l.mode, l.code_version])).toEqual([
      ["ana", "mcp-ana", "docker_first", "e94f4d8"],
      ["bo", "mcp-bo", "dict_first", "2a67b60"],
    ]);
    // One host alone is not mixed, but behind is behind.
    expect((await evaluateAt(db, serverCfg, "30m", at(10), 0, ["ana"])).modes?.warnings).toEqual([]);
    expect((await evaluateAt(db, serverCfg, "30m", at(10), 0, ["bo"])).modes?.warnings).toEqual([
      "1 of 1 processes run a mode behind Phase 2's docker_first: bo/mcp-bo (dict_first)",
    ]);

    // Fallbacks on ana while bo ran dict_first; bo goes to Phase 2's code at 15 (nothing else
    // changes: that delivery carries the state's hash only), Docker reads on bo at 17.
    await recordReadEvents(ana.h.db, reads("mcp-ana", 12, 120, "fallback"));
    await step(ana, 15, [["mcp-ana", ANA_COUNTING]]);
    const boBefore = deliveries.length;
    await step(bo, 15, [["mcp-bo", { mode: "docker_first", code_version: "e94f4d8", started: 10 }]]);
    const advance = deliveries.slice(boBefore).filter((d) => d.body.host === "bo");
    expect(
      advance.map((d) => [d.status, last(d).state ? "full" : last(d).state_head ? "hash" : "none"]),
    ).toEqual([[200, "hash"]]);
    expect(last(advance[0]!).mode_changes?.map((c) => [c.instance_id, c.previous_mode, c.mode])).toEqual([
      ["mcp-bo", "dict_first", "docker_first"],
    ]);
    await recordReadEvents(bo.h.db, reads("mcp-bo", 17, 60, "docker"));
    await step(bo, 20, [["mcp-bo", { mode: "docker_first", code_version: "e94f4d8", started: 10 }]]);
    await step(ana, 20, [["mcp-ana", ANA_COUNTING]]);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);

    // Stored per host, as each agent holds them.
    const changes = await db.modeChange.findMany({ orderBy: [{ at: "asc" }, { id: "asc" }] });
    expect(changes.map((c) => [c.host, c.instanceId, c.at.getTime(), c.previousMode, c.mode])).toEqual([
      ["ana", "mcp-ana-old", at(-8).getTime(), null, "dict_first"],
      ["ana", "mcp-ana", at(1).getTime(), "dict_first", "docker_first"],
      ["bo", "mcp-bo", at(10).getTime(), null, "dict_first"],
      ["bo", "mcp-bo", at(15).getTime(), "dict_first", "docker_first"],
    ]);
    const stored = await db.instance.findMany({ orderBy: [{ host: "asc" }, { instanceId: "asc" }] });
    expect(
      stored.map((i) => [i.host, i.instanceId, i.mode, i.lastSeenAt.getTime(), i.endedAt?.getTime()]),
    ).toEqual([
      ["ana", "mcp-ana", "docker_first", at(20).getTime(), undefined],
      ["ana", "mcp-ana-old", "dict_first", at(-6).getTime(), at(-6).getTime()],
      ["bo", "mcp-bo", "docker_first", at(20).getTime(), undefined],
    ]);

    const now = at(20);
    // The fleet: docker_first when every live process ran it: 1-10 (ana alone) and 15-20 (both);
    // 10-15 mixed and -8..-6 (ana's old process) are "other mode"; the rest no process.
    const fleet = await evaluateAt(db, serverCfg, "30m", now, 0);
    expect(p2(fleet).mode).toEqual({
      mode: "docker_first",
      in_mode_ms: 14 * 60_000,
      other_mode_ms: 7 * 60_000,
      no_process_ms: 9 * 60_000,
    });
    // ana's fallbacks at 12 ran in mixed mode: not counted fleet-wide.
    expect(fallbackRate(fleet)).toBe(0);
    expect(fleet.phases[0]!.mode).toMatchObject({ mode: "dict_first", in_mode_ms: 2 * 60_000 });
    expect(fleet.modes?.warnings).toEqual([]);

    // ana alone: in docker_first from 1 to 20, its fallbacks at 12 count.
    const anaOnly = await evaluateAt(db, serverCfg, "30m", now, 0, ["ana"]);
    expect(p2(anaOnly).mode).toEqual({
      mode: "docker_first",
      in_mode_ms: 19 * 60_000,
      other_mode_ms: 2 * 60_000,
      no_process_ms: 9 * 60_000,
    });
    expect(fallbackRate(anaOnly)).toBeCloseTo(0.5, 6);
    // bo alone: dict_first 10-15, docker_first 15-20.
    const boOnly = await evaluateAt(db, serverCfg, "30m", now, 0, ["bo"]);
    expect(p2(boOnly).mode).toEqual({
      mode: "docker_first",
      in_mode_ms: 5 * 60_000,
      other_mode_ms: 5 * 60_000,
      no_process_ms: 20 * 60_000,
    });
    expect(boOnly.phases[1]!.mode).toMatchObject({ mode: "dict_first", in_mode_ms: 5 * 60_000 });
    expect(fallbackRate(boOnly)).toBe(0);

    // Phase 4: ana's counted reads, named with their host.
    const legacy = fleet.phases[4]!.criteria.find((c) => c.id === "no_legacy_reads")!;
    expect([legacy.status, legacy.evidence.details]).toEqual([
      "not_met",
      [
        {
          dict: "active_indexers",
          site: "/srv/indexer_orchestrator.py:238",
          count: 7,
          last_read_at: at(1).toISOString(),
          instance: "ana/mcp-ana",
        },
      ],
    ]);

    // The hosts page: each host's live processes' modes, from the state it holds.
    const { listHostsFor } = await import("../../lib/services/agent");
    const hosts = (await listHostsFor()).hosts;
    expect(hosts.map((h) => [h.host, h.modes])).toEqual([
      ["ana", ["docker_first · e94f4d8"]],
      ["bo", ["docker_first · e94f4d8"]],
    ]);

    // Retention: cut at minute 12. Every change before it goes, but each process heard from
    // since keeps its last one (ana's from minute 1, bo's from 10); ana's old process, silent
    // since -6, keeps none.
    const pruned = await pruneHistory(db, at(12));
    expect(pruned.modeChanges).toBe(1);
    expect(
      (await db.modeChange.findMany({ orderBy: { at: "asc" } })).map((c) => [c.instanceId, c.mode]),
    ).toEqual([
      ["mcp-ana", "docker_first"],
      ["mcp-bo", "dict_first"],
      ["mcp-bo", "docker_first"],
    ]);
    // The mode at a window's start is still known after the cut: bo ran dict_first 12-15.
    const boAfter = await evaluateAt(db, serverCfg, "8m", now, 0, ["bo"]);
    expect(boAfter.phases[1]!.mode).toMatchObject({ mode: "dict_first", in_mode_ms: 3 * 60_000 });
    expect(p2(boAfter).mode).toMatchObject({ in_mode_ms: 5 * 60_000, other_mode_ms: 3 * 60_000 });
    // Pruning again at the same cut removes nothing more.
    expect((await pruneHistory(db, at(12))).modeChanges).toBe(0);
  });

  test("an older agent's body is accepted; a bad mode is a 400 naming it and stores nothing; a flapping process is capped", async () => {
    const { POST } = await import("../../app/api/v1/agent/polls/route");
    const template = deliveries.find((d) => d.body.host === "bo" && d.body.polls[0]!.state)!.body;
    const { processes: _p, mode_changes: _m, state_hash: _h, state_head: _s, ...old } = template.polls[0]!;
    const send = (polls: unknown[]) =>
      POST(
        new Request(`http://127.0.0.1:${port}/api/v1/agent/polls`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${TOKENS.cy}` },
          body: JSON.stringify({ ...template, host: "cy", agent_id: undefined, polls }),
        }),
      );
    const db = getDb();
    expect((await send([old])).status).toBe(200);
    expect(await db.instance.count({ where: { host: "cy" } })).toBe(0);

    const quiet = { ...old, new_containers: [], episodes_opened: [], episodes_closed: [], state: null };
    const proc = {
      instance_id: "mcp-cy",
      started_at: at(0).toISOString(),
      first_seen_at: at(0).toISOString(),
      last_seen_at: at(20).toISOString(),
      taken_at: at(20).toISOString(),
      ended_at: null,
      mode: "phase-2",
      code_version: "e94f4d8",
      legacy_reads: null,
    };
    const bad = await send([{ ...quiet, id: 2, processes: [proc] }]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("polls.0.processes.0.mode");
    const change = (ref: number, mode: string) => ({
      ref,
      instance_id: "mcp-cy",
      at: new Date(at(0).getTime() + ref * 1000).toISOString(),
      mode,
      previous_mode: null,
      code_version: null,
      rollback: false,
    });
    const badChange = await send([
      { ...quiet, id: 2, mode_changes: [change(1, "docker_first"), change(2, "Docker")] },
    ]);
    expect(badChange.status).toBe(400);
    expect(((await badChange.json()) as { error: { field: string } }).error.field).toBe(
      "polls.0.mode_changes.1.mode",
    );
    expect(await db.poll.count({ where: { host: "cy" } })).toBe(1);
    expect(await db.modeChange.count({ where: { host: "cy" } })).toBe(0);
    expect(await db.instance.count({ where: { host: "cy" } })).toBe(0);

    // A process flapping between two modes: its changes stay within the cap, the newest kept.
    const flaps = Array.from({ length: MODE_CHANGES_PER_PROCESS + 5 }, (_, i) =>
      change(i + 1, i % 2 ? "dict_first" : "docker_first"),
    );
    const ok = await send([
      { ...quiet, id: 2, processes: [{ ...proc, mode: "dict_first" }], mode_changes: flaps },
    ]);
    expect(ok.status).toBe(200);
    const kept = await db.modeChange.findMany({ where: { host: "cy" }, orderBy: { at: "asc" } });
    expect(kept.length).toBe(MODE_CHANGES_PER_PROCESS);
    expect([kept[0]!.ref, kept.at(-1)!.ref]).toEqual([6, MODE_CHANGES_PER_PROCESS + 5]);
    // The same delivery again: stored once.
    expect((await send([{ ...quiet, id: 2, mode_changes: flaps.slice(-3) }])).status).toBe(200);
    expect(await db.modeChange.count({ where: { host: "cy" } })).toBe(MODE_CHANGES_PER_PROCESS);
  });
});
