// Issue 26, item 4, end to end: two real server processes (the production build started twice,
// L9_ROLE=server, different loopback ports) on one private PostgreSQL act as one.
//  a. An agent delivery (the real contract, lib/contracts/agent.ts) POSTed to one is on the
//     other's event stream (/api/v1/stream, read with fetch) and in its state, without the other
//     being asked; the latency is printed (the bench's business, not asserted).
//  b. Exactly one of them (the advisory lock's holder: `leader` in /api/v1/health) sends
//     notifications: a loopback webhook receiver gets each alert once while both run.
//  c. kill -9 of the holder, then the next alert: the other takes over (its retry is 10 s, the
//     issue allows 60 s) and sends it once, and none of the earlier ones again (the episodes are
//     stored: lib/store/alert-episodes.ts).
// Acknowledgements and reviews made on one are seen on the other (the database is the one truth).
// The agent is a sender of the real contract, not `npm run agent`: the test decides which
// projects diverge and when (e2e/hosts.spec.ts runs the real agent against a real Docker).
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { startApp, type App } from "./support/app";
import { startPrivatePostgres, type PrivatePostgres } from "../lib/dev/private-postgres";
import type { AgentBatch, AgentPoll } from "../lib/contracts/agent";
import type { ApiState } from "../lib/contracts/state";
import type { HealthReport } from "../lib/contracts/health";

const TOKEN = "ana-two-servers-token-0123456789";
const PROJECTS = ["alpha", "beta", "gamma"] as const;
type Project = (typeof PROJECTS)[number];
/** Editors are named by a trusted proxy header on loopback (as e2e/acks.spec.ts does). */
const AS_ANA = { "x-forwarded-user": "ana" };

type Hit = { key: string; event: string; at: number };
let pg: PrivatePostgres;
let receiver: http.Server;
const hits: Hit[] = [];
const servers: App[] = [];
const killed = new Set<App>();
let pollId = 0;

/** Waits for a condition (bounded): the value once it is truthy, else a failure naming `what`. */
async function until<T>(
  what: string,
  f: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  ms = 30_000,
  every = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`not within ${ms} ms: ${what}; the receiver got: ${JSON.stringify(received())}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

function hostState(at: string, id: number, diverged: readonly Project[]): ApiState {
  const projects = PROJECTS.map((p, i) => {
    const bad = diverged.includes(p);
    const finding = { kind: "port_mismatch", source: "container_registry", message: "another port" };
    return {
      project: p,
      health: bad ? "diverged" : "consistent",
      docker_status: "consistent",
      containers: [{ id: `${i + 1}`.padStart(12, "a"), name: `indexer-${p}`, state: "running" }],
      checks: [{ source: "container_registry", status: bad ? "diverged" : "consistent", findings: [] }],
      findings: bad ? [finding] : [],
      sources: {},
    };
  });
  const n = diverged.length;
  return {
    polled_at: at,
    poll_id: id,
    simulated: true,
    docker: { reachable: true, endpoint: "unix:///x.sock", latency_ms: 2, error: null, last_ok_at: at },
    sources: [],
    summary: {
      checks: PROJECTS.length,
      diverged: n,
      divergence_rate: n / PROJECTS.length,
      diverged_acknowledged: 0,
      divergence_rate_acknowledged: n / PROJECTS.length,
      acknowledgements_in_force: 0,
      projects: PROJECTS.length,
      health: { consistent: PROJECTS.length - n, warning: 0, diverged: n, unknown: 0 },
    },
    projects,
    unassigned_containers: [],
    collector: { poll_interval_ms: 1000, duration_ms: 3 },
  } as unknown as ApiState;
}

/** One poll of host "ana" to `app`, through the agent contract; its poll id. */
async function deliver(app: App, diverged: readonly Project[]): Promise<number> {
  const id = ++pollId;
  const at = new Date().toISOString();
  // The poll summary counts one check a poll: the window's divergence gate (100 checks) stays
  // unknown, so the only alerts are the projects' own.
  const poll: AgentPoll = {
    id,
    polled_at: at,
    docker_reachable: true,
    docker_latency_ms: 2,
    docker_error: null,
    duration_ms: 3,
    interval_ms: 1000,
    checks: 1,
    diverged: 0,
    diverged_ack: 0,
    projects: PROJECTS.length,
    kind_counts: {},
    seq: id,
    cum_checks: id,
    cum_diverged: 0,
    cum_diverged_ack: 0,
    cum_kinds: {},
    cum_covered_ms: (id - 1) * 1000,
    cum_latency_ms: id * 2,
    simulated: true,
    new_containers: [],
    episodes_opened: [],
    episodes_closed: [],
    read_events: [],
    restarts: [],
    state: hostState(at, id, diverged),
  };
  const batch: AgentBatch = { host: "ana", agent_version: "e2e", buffered: 0, dropped: 0, polls: [poll] };
  const res = await fetch(`${app.url}/api/v1/agent/polls`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(batch),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(((await res.json()) as { last_poll_id: number }).last_poll_id).toBe(id);
  return id;
}

async function health(app: App): Promise<HealthReport | null> {
  return fetch(`${app.url}/api/v1/health`)
    .then((r) => r.json() as Promise<HealthReport>)
    .catch(() => null);
}

/** The `poll` events of an app's /api/v1/stream, each with when it arrived. */
function openStream(app: App) {
  const events: { at: number; data: { poll_id: number | null; changed: boolean } }[] = [];
  const abort = new AbortController();
  const done = (async () => {
    const res = await fetch(`${app.url}/api/v1/stream`, { signal: abort.signal });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += dec.decode(value, { stream: true });
      for (let i = buf.indexOf("\n\n"); i >= 0; i = buf.indexOf("\n\n")) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = /^event: poll\ndata: (.*)$/m.exec(block)?.[1];
        if (data)
          events.push({ at: performance.now(), data: JSON.parse(data) as (typeof events)[0]["data"] });
      }
    }
  })().catch((err: unknown) => {
    if (!abort.signal.aborted) throw err;
  });
  return { events, close: () => (abort.abort(), done) };
}

const received = () => hits.map((h) => `${h.key} ${h.event}`);
const count = (key: string, event: string) => hits.filter((h) => h.key === key && h.event === event).length;
const key = (p: Project) => `project_diverged:ana/${p}`;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  pg = await startPrivatePostgres();
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const b = JSON.parse(body) as { key: string; event: string };
      hits.push({ key: b.key, event: b.event, at: Date.now() });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const hook = `127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const databaseUrl = await pg.createDatabase("two");
  for (let i = 0; i < 2; i++) {
    servers.push(
      await startApp({
        DATABASE_URL: databaseUrl,
        L9_ROLE: "server",
        L9_AGENT_TOKENS: `ana:${TOKEN}`,
        L9_HOST_STALE_MS: "60000",
        L9_WEBHOOKS: `json:http://${hook}/hook`,
        L9_WEBHOOK_ALLOWED_HOSTS: hook,
        // A project diverged for a millisecond alerts: its second poll fires it.
        L9_NOTIFY_AFTER: "1ms",
        L9_EDITORS: "ana",
        L9_AUTH_PROXY_HEADER: "X-Forwarded-User",
        L9_AUTH_PROXY_TRUSTED: "127.0.0.1",
      }),
    );
  }
});

test.afterAll(async () => {
  for (const s of servers) {
    if (killed.has(s)) fs.rmSync(s.dir, { recursive: true, force: true });
    else await s.stop();
  }
  receiver?.close();
  await pg?.stop();
});

test("two server processes on one PostgreSQL: one fleet, one stream each, one notifier that hands over on kill -9", async () => {
  test.setTimeout(240_000);
  const [a, b] = servers as [App, App];

  // Exactly one holds the lock, and says so.
  const roles = await until("one server says leader: true, the other false", async () => {
    const [ha, hb] = await Promise.all([health(a), health(b)]);
    return ha?.leader !== undefined && hb?.leader !== undefined && ha.leader !== hb.leader
      ? { leader: ha.leader ? a : b, standby: ha.leader ? b : a }
      : null;
  });
  const { leader, standby } = roles;

  await test.step("a delivery to one is on the other's event stream and in its state", async () => {
    const stream = openStream(b);
    await until("the stream's first event", () => stream.events.length > 0);
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const seen = stream.events.length;
      const t0 = performance.now();
      const id = await deliver(a, []);
      const e = await until(`B's stream shows poll ${id}`, () => stream.events[seen], 10_000, 5);
      latencies.push(e.at - t0);
      // B's hosts and state come from its own memory, refreshed by the fan-out alone.
      const hosts = (await (await fetch(`${b.url}/api/v1/hosts`)).json()) as {
        hosts: { host: string; last_poll_id: number }[];
      };
      expect(hosts.hosts).toEqual([expect.objectContaining({ host: "ana", last_poll_id: id })]);
      // Paced past the live view's once-a-second throttle: each measures a quiet server.
      const next = e.at + 1100 - performance.now();
      if (next > 0) await new Promise((r) => setTimeout(r, next));
    }
    const sorted = [...latencies].sort((x, y) => x - y);
    const q = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!.toFixed(1);
    console.log(
      `[two-servers] delivery to A -> B's stream: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms (n=${sorted.length})`,
    );
    const state = (await (await fetch(`${b.url}/api/v1/state`)).json()) as ApiState;
    expect(state.hosts).toEqual(["ana"]);
    expect(state.poll_id === null || typeof state.poll_id === "number").toBe(true);
    expect(
      state.projects
        .map((p) => [p.host, p.project, p.health])
        .sort((x, y) => String(x[1]).localeCompare(String(y[1]))),
    ).toEqual(PROJECTS.map((p) => ["ana", p, "consistent"]));
    await stream.close();
  });

  await test.step("only the lock holder notifies, each alert once", async () => {
    // Delivered to the standby: the holder hears of it through the fan-out alone.
    await until(
      "the receiver has alpha's and beta's firing",
      async () => {
        await deliver(standby, ["alpha", "beta"]);
        return count(key("alpha"), "firing") >= 1 && count(key("beta"), "firing") >= 1;
      },
      30_000,
      1000,
    );
    // Both processes' listeners ran on these polls (the standby's for its own deliveries): two
    // more, then the history both share says one delivery per alert, all sent.
    await deliver(standby, ["alpha", "beta"]);
    await deliver(leader, ["alpha", "beta"]);
    const history = await until("the delivery history has both firings, sent", async () => {
      const n = (await (await fetch(`${standby.url}/api/v1/notifications`)).json()) as {
        deliveries: { alert: string; event: string; status: string }[];
      };
      const d = n.deliveries.filter((x) => x.alert.startsWith("project_diverged:"));
      return d.length >= 2 && d.every((x) => x.status === "sent") ? d : null;
    });
    expect(history.map((d) => `${d.alert} ${d.event}`).sort()).toEqual([
      `${key("alpha")} firing`,
      `${key("beta")} firing`,
    ]);
    expect(hits.map((h) => `${h.key} ${h.event}`).sort()).toEqual([
      `${key("alpha")} firing`,
      `${key("beta")} firing`,
    ]);
    expect((await health(leader))?.leader).toBe(true);
    expect((await health(standby))?.leader).toBe(false);
  });

  await test.step("acknowledgements and reviews made on one are seen on the other", async () => {
    const ack = await fetch(`${a.url}/api/v1/acknowledgements`, {
      method: "POST",
      headers: { "content-type": "application/json", ...AS_ANA },
      body: JSON.stringify({
        project: "alpha",
        source: "container_registry",
        kind: "port_mismatch",
        reason: "two servers: made on A",
        expires_at: new Date(Date.now() + 7 * 86400_000).toISOString(),
      }),
    });
    expect(ack.status, await ack.clone().text()).toBe(201);
    const made = (await ack.json()) as { id: number };
    const onB = (await (await fetch(`${b.url}/api/v1/acknowledgements`)).json()) as {
      in_force: { id: number; reason: string; owner: string }[];
    };
    expect(onB.in_force).toEqual([
      expect.objectContaining({ id: made.id, reason: "two servers: made on A", owner: "ana" }),
    ]);
    const review = await fetch(`${b.url}/api/v1/reviews`, {
      method: "POST",
      headers: { "content-type": "application/json", ...AS_ANA },
      body: JSON.stringify({ phase: 0 }),
    });
    expect(review.status, await review.clone().text()).toBe(201);
    const r = (await review.json()) as { id: string; evaluation: { acknowledgements: { id: number }[] } };
    // B's review froze A's acknowledgement; A reads B's review.
    expect(r.evaluation.acknowledgements.map((x) => x.id)).toEqual([made.id]);
    const onA = await fetch(`${a.url}/api/v1/reviews/${r.id}`);
    expect(onA.status).toBe(200);
    expect((await onA.json()) as { id: string; created_by: string }).toMatchObject({
      id: r.id,
      created_by: "ana",
    });
  });

  await test.step("kill -9 of the lock holder: the other sends the next alert once, none of the earlier again", async () => {
    const before = hits.length;
    process.kill(leader.pid, "SIGKILL");
    killed.add(leader);
    const killedAt = Date.now();
    await until("the killed server stops answering", async () => (await health(leader)) === null);
    // alpha recovers, beta stays diverged (its firing went out before the kill), gamma diverges.
    await until(
      "the receiver has alpha's recovery and gamma's firing",
      async () => {
        await deliver(standby, ["beta", "gamma"]);
        return count(key("alpha"), "resolved") >= 1 && count(key("gamma"), "firing") >= 1;
      },
      60_000,
      1000,
    );
    const firstAfter = hits.slice(before).reduce((m, h) => Math.min(m, h.at), Infinity);
    console.log(`[two-servers] kill -9 -> the other's first notification: ${firstAfter - killedAt} ms`);
    expect((await health(standby))?.leader).toBe(true);
    // Two more polls of the same state, then the shared history is settled: nothing is sent again.
    await deliver(standby, ["beta", "gamma"]);
    const last = await deliver(standby, ["beta", "gamma"]);
    await until("the survivor's hosts show the last poll", async () => {
      const h = (await (await fetch(`${standby.url}/api/v1/hosts`)).json()) as {
        hosts: { last_poll_id: number }[];
      };
      return h.hosts[0]?.last_poll_id === last;
    });
    const history = await until("the delivery history has four alerts, all sent", async () => {
      const n = (await (await fetch(`${standby.url}/api/v1/notifications`)).json()) as {
        deliveries: { alert: string; event: string; status: string }[];
      };
      const d = n.deliveries.filter((x) => x.alert.startsWith("project_diverged:"));
      return d.length >= 4 && d.every((x) => x.status === "sent") ? d : null;
    });
    const expected = [
      `${key("alpha")} firing`,
      `${key("alpha")} resolved`,
      `${key("beta")} firing`,
      `${key("gamma")} firing`,
    ];
    expect(history.map((d) => `${d.alert} ${d.event}`).sort()).toEqual(expected);
    expect(hits.map((h) => `${h.key} ${h.event}`).sort()).toEqual(expected);
  });
});
