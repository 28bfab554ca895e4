// Issue 26 with real parts: an agent (a real collector over the private daemon, its own
// database) sends its state in full only when it changed, a hash and the per-poll head
// otherwise, and may batch polls; the server's real route handler behind real HTTP stores the
// same polls and state either way (SQLite here, PostgreSQL in the integration-pg project).
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
import { getHostState, outboxSize } from "../../lib/store/hosts";
import { pollFromRow } from "../../lib/store/poll-row";
import type { AgentBatch } from "../../lib/contracts/agent";
import type { ApiState } from "../../lib/contracts/state";

const TOKENS = {
  ana: "ana-token-0123456789abcdef",
  bo: "bo-token-0123456789abcdef",
  cy: "cy-token-0123456789abcdef",
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-state-hash-"));
type Delivery = { status: number; body: AgentBatch };
const deliveries: Delivery[] = [];
let server: http.Server | null = null;
let port = 0;
const cleanups: (() => Promise<void>)[] = [];

/** The server's real route handler on loopback; every delivery and its answer are kept. */
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

type Agent = { h: Harness; shipper: Shipper; states: ApiState[]; pending: Promise<void>[] };

async function startAgent(host: "ana" | "bo", extra: Record<string, string> = {}): Promise<Agent> {
  const fleet = new TestFleet(inject("dockerSocket"));
  await fleet.run({ project: `${host}-alpha`, port: host === "ana" ? 48411 : 48412, phase1: true });
  const h = await makeHarness({ dockerHost: `unix://${inject("dockerSocket")}`, selector: fleet.selector });
  h.writeRegistry({ [`${host}-alpha`]: host === "ana" ? 48411 : 48412 });
  const cfg = parseEnv({
    DATABASE_URL: h.cfg.databaseUrl,
    L9_ROLE: "agent",
    L9_SERVER_URL: `http://127.0.0.1:${port}`,
    L9_AGENT_TOKEN: TOKENS[host],
    L9_HOST_NAME: host,
    ...extra,
  });
  const shipper = new Shipper(h.db, cfg);
  const a: Agent = { h, shipper, states: [], pending: [] };
  const off = h.collector.onRecorded((info, state) => {
    a.states.push(state);
    a.pending.push(shipper.enqueue(info, state));
  });
  cleanups.push(async () => {
    off();
    await shipper.stop();
    await h.close();
    await fleet.cleanup();
  });
  return a;
}

/** Polls on the agent, each buffered (and delivered unless it batches); then everything sent. */
async function poll(a: Agent, n: number, settle = true): Promise<void> {
  for (let i = 0; i < n; i++) await a.h.collector.pollOnce();
  await Promise.all(a.pending);
  if (settle) await a.shipper.settled();
}

const serverPolls = async (host: string) =>
  (await getDb().poll.findMany({ where: { host }, orderBy: { id: "asc" } })).map(pollFromRow);
const agentPolls = async (a: Agent) =>
  (await a.h.db.poll.findMany({ where: { host: "" }, orderBy: { id: "asc" } })).map(pollFromRow);
/** The state as the server holds it (its stored text with the newest head over it). */
const storedState = (host: string) => getHostState(getDb(), host);
const storedText = async (host: string) =>
  JSON.parse((await getDb().host.findUniqueOrThrow({ where: { name: host } })).state) as ApiState;
const ofHost = (host: string) => deliveries.filter((d) => d.body.host === host);

beforeAll(async () => {
  process.env.DATABASE_URL = await freshDatabaseUrl(dir);
  process.env.L9_ROLE = "server";
  process.env.L9_AGENT_TOKENS = Object.entries(TOKENS)
    .map(([h, t]) => `${h}:${t}`)
    .join(",");
  await startServer();
});

afterAll(async () => {
  for (const c of cleanups) await c();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the state in full only when it changed (issue 26)", () => {
  test("unchanged-state deliveries store the same polls and state as full ones; an unknown hash is sent again in full", async () => {
    const ana = await startAgent("ana");
    for (let i = 0; i < 4; i++) await poll(ana, 1);
    const sent = ofHost("ana");
    expect(sent.map((d) => d.status)).toEqual([200, 200, 200, 200]);
    // The first delivery carries the state; the next three, nothing changed, only its hash and head.
    const last = (d: Delivery) => d.body.polls.at(-1)!;
    expect(sent.map((d) => (last(d).state ? "full" : last(d).state_head ? "hash" : "none"))).toEqual([
      "full",
      "hash",
      "hash",
      "hash",
    ]);
    expect(new Set(sent.map((d) => last(d).state_hash)).size).toBe(1);
    // Stored whole: every poll as the agent stored it, and the state as the agent last computed it.
    expect(await serverPolls("ana")).toEqual(await agentPolls(ana));
    expect(await storedState("ana")).toEqual(JSON.parse(JSON.stringify(ana.states.at(-1))));
    expect((await storedState("ana"))!.poll_id).toBe(4);
    // The unchanged-state deliveries left the stored state text as the first one wrote it.
    expect((await storedText("ana")).poll_id).toBe(1);

    // A server that does not hold the hash (a restored database): 409 naming state_hash, and the
    // agent sends the same polls again with the state; nothing lost, nothing doubled.
    await getDb().host.update({ where: { name: "ana" }, data: { stateHash: "" } });
    deliveries.length = 0;
    await poll(ana, 1);
    expect(ofHost("ana").map((d) => [d.status, last(d).id, last(d).state ? "full" : "hash"])).toEqual([
      [409, 5, "hash"],
      [200, 5, "full"],
    ]);
    expect(await serverPolls("ana")).toEqual(await agentPolls(ana));
    expect(await storedState("ana")).toEqual(JSON.parse(JSON.stringify(ana.states.at(-1))));

    // A change (the registry now disagrees) travels in full again.
    ana.h.writeRegistry({ "ana-alpha": 48499 });
    deliveries.length = 0;
    await poll(ana, 1);
    await poll(ana, 1);
    expect(ofHost("ana").map((d) => (last(d).state ? "full" : "hash"))).toEqual(["full", "hash"]);
    expect((await storedState("ana"))!.summary.diverged).toBe(1);
    expect(await storedState("ana")).toEqual(JSON.parse(JSON.stringify(ana.states.at(-1))));
  });

  test("batched deliveries: polls taken one by one wait on disk and go together, stored whole", async () => {
    const bo = await startAgent("bo", { L9_AGENT_DELIVER_EVERY_MS: "600000" });
    await poll(bo, 1, false); // the first poll goes at once
    await poll(bo, 3, false); // then they wait: within 10 minutes of the last delivery
    expect(await outboxSize(bo.h.db)).toBe(3);
    expect(ofHost("bo").map((d) => d.body.polls.map((p) => p.id))).toEqual([[1]]);
    await bo.shipper.settled();
    expect(ofHost("bo").map((d) => d.body.polls.map((p) => p.id))).toEqual([[1], [2, 3, 4]]);
    expect(await outboxSize(bo.h.db)).toBe(0);
    expect(await serverPolls("bo")).toEqual(await agentPolls(bo));
    expect(await storedState("bo")).toEqual(JSON.parse(JSON.stringify(bo.states.at(-1))));
  });

  test("an older agent's bodies (no hash, no head) still work; a hash the server does not hold is refused", async () => {
    const { POST } = await import("../../app/api/v1/agent/polls/route");
    const full = deliveries.find((d) => d.body.host === "bo" && d.body.polls[0]!.state)!.body;
    const p1 = full.polls[0]!;
    const send = (polls: AgentBatch["polls"]) =>
      POST(
        new Request(`http://127.0.0.1:${port}/api/v1/agent/polls`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${TOKENS.cy}` },
          body: JSON.stringify({ ...full, host: "cy", agent_id: undefined, polls }),
        }),
      );
    const { state_hash: _h, state_head: _s, ...old } = p1;
    expect((await send([old])).status).toBe(200);
    expect(await getDb().host.findUniqueOrThrow({ where: { name: "cy" } })).toMatchObject({ stateHash: "" });
    // An older agent's next poll without the state keeps the stored one.
    const quiet = {
      new_containers: [],
      episodes_opened: [],
      episodes_closed: [],
      runs_opened: [],
      runs_closed: [],
    };
    const p2 = { ...old, ...quiet, id: 2, state: null };
    expect((await send([p2])).status).toBe(200);
    expect(await storedState("cy")).toEqual(p1.state);
    // A hash and head where the server holds no hash: refused whole (poll 3 is not stored).
    const head = stateHeadOf(p1.state as ApiState);
    const refused = await send([{ ...p2, id: 3, state_hash: "a".repeat(64), state_head: head }]);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { field: string } }).error.field).toBe("state_hash");
    expect((await serverPolls("cy")).map((p) => p.id)).toEqual([1, 2]);
  });
});

const stateHeadOf = (s: ApiState) => ({
  polled_at: s.polled_at,
  poll_id: s.poll_id,
  docker: s.docker,
  sources: s.sources,
  collector: s.collector,
});
