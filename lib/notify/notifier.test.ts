// The notifier against real HTTP receivers on loopback and a real SQLite file: a firing and a
// recovery delivered once each, Slack's format, a receiver that is down, slow, or answers 500;
// and where a delivery may go (L9_WEBHOOK_ALLOWED_HOSTS), checked at the connection itself.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { closeDb, getDb } from "../db";
import { parseEnv } from "../env";
import { applyMigrations } from "../../scripts/schema-engine.mjs";
import { listDeliveries } from "../store/notifications";
import type { ApiState } from "../contracts/state";
import { Notifier } from "./notifier";
import { checkWebhookUrl, policyOf, type Resolve } from "./address";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-notify-"));
const databaseUrl = `file:${path.join(dir, "t.db")}`;
// Generous timeouts for receivers that answer (a loaded CI machine must not turn a slow
// answer into a retry and a duplicate); a short one where the receiver never answers.
const TIMING = { timeoutMs: 3000, backoffMs: [50, 100, 150] };
const SHORT = { timeoutMs: 300, backoffMs: [50, 100, 150] };

type Hit = { body: unknown; at: number; authorization?: string };
type Receiver = { url: string; port: number; hits: Hit[]; close: () => void };
function receiver(answer: (n: number) => number | "hang" | { redirect: string }): Promise<Receiver> {
  const hits: Hit[] = [];
  const srv = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      hits.push({
        body: JSON.parse(body) as unknown,
        at: Date.now(),
        authorization: req.headers.authorization,
      });
      const a = answer(hits.length);
      if (a === "hang") return; // never answers
      if (typeof a === "object") res.writeHead(307, { location: a.redirect }).end();
      else res.writeHead(a).end();
    });
  });
  return new Promise((resolve) =>
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as AddressInfo).port;
      resolve({ url: `http://127.0.0.1:${port}/hook`, port, hits, close: () => srv.close() });
    }),
  );
}

const state = (health: "diverged" | "consistent", project = "alpha"): ApiState =>
  ({
    polled_at: null,
    poll_id: 1,
    simulated: false,
    docker: { reachable: true, endpoint: "unix:///d.sock", latency_ms: 1, error: null, last_ok_at: null },
    sources: [],
    summary: {
      checks: 1,
      diverged: health === "diverged" ? 1 : 0,
      divergence_rate: 0,
      projects: 1,
      health: {},
    },
    projects: [
      {
        project,
        health,
        containers: [],
        checks: [],
        findings:
          health === "diverged"
            ? [{ kind: "port_mismatch", message: "m", source: "container_registry" }]
            : [],
        sources: {},
      },
    ],
    unassigned_containers: [],
    collector: { poll_interval_ms: 1000, duration_ms: 1 },
  }) as unknown as ApiState;

/** Each receiver's own host:port, listed as the operator would. */
const listOf = (webhooks: string) =>
  [...webhooks.matchAll(/https?:\/\/([^/]+)/g)].map((m) => m[1]!.replace(/^.*@/, "")).join(",");

function notifier(
  webhooks: string,
  rate = 20,
  timing = TIMING,
  extra: Record<string, string> = {},
  resolve?: Resolve,
) {
  const cfg = parseEnv({
    DATABASE_URL: databaseUrl,
    L9_WEBHOOKS: webhooks,
    L9_NOTIFY_AFTER: "1s",
    L9_NOTIFY_RATE_PER_MIN: String(rate),
    L9_WEBHOOK_ALLOWED_HOSTS: listOf(webhooks),
    ...extra,
  });
  return new Notifier(getDb(databaseUrl), cfg, async () => null, timing, resolve);
}

/** One message through the notifier's deliverer (as "Send a test" does), and its history row. */
async function sendOne(n: Notifier, name = "env-1") {
  const channel = (await n.channels()).find((c) => c.name === name)!;
  n.deliverer.send(channel, {
    alertKey: "test",
    event: "test",
    title: "t",
    text: "t",
    url: "",
    body: { event: "test" },
  });
  await n.deliverer.idle();
  return (await listDeliveries(getDb(databaseUrl)))[0]!;
}

/** A diverged project for longer than the duration, then consistent again. */
async function episode(n: Notifier, t0: number) {
  await n.onPolled(state("diverged"), new Date(t0));
  await n.onPolled(state("diverged"), new Date(t0 + 1500));
  await n.onPolled(state("diverged"), new Date(t0 + 3000));
  await n.onPolled(state("consistent"), new Date(t0 + 4000));
  await n.deliverer.idle();
}

beforeAll(async () => {
  await applyMigrations(databaseUrl);
});
// Each test is a fresh deployment: no alert episodes stored by the one before (issue 26).
beforeEach(async () => {
  await getDb(databaseUrl).alertEpisode.deleteMany({});
});
afterAll(async () => {
  await closeDb(databaseUrl);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("built-in notifications", () => {
  test("one firing and one recovery per episode, as generic JSON and as Slack text", async () => {
    const json = await receiver(() => 200);
    const slack = await receiver(() => 200);
    try {
      await episode(notifier(`json:${json.url},slack:${slack.url}`), Date.UTC(2026, 10, 27, 10));
      expect(json.hits.map((h) => (h.body as { event: string }).event)).toEqual(["firing", "resolved"]);
      expect(json.hits[0]!.body).toMatchObject({
        alert: "project_diverged",
        subject: "alpha",
        severity: "warning",
        since: "2026-11-27T10:00:00.000Z",
        url: "http://127.0.0.1:3000/projects/alpha",
        message: "Project alpha is diverged (port_mismatch)",
      });
      expect(slack.hits).toHaveLength(2);
      expect((slack.hits[0]!.body as { text: string }).text).toMatch(
        /^\[WARNING\] Project alpha is diverged[\s\S]*<http:\/\/127\.0\.0\.1:3000\/projects\/alpha\|Open in L9 State Health>$/,
      );
      expect((slack.hits[1]!.body as { text: string }).text).toMatch(
        /^\[RESOLVED\] Project alpha is consistent again/,
      );
    } finally {
      json.close();
      slack.close();
    }
  });

  test("a receiver answering 500 is retried with back-off until it takes the message", async () => {
    const flaky = await receiver((n) => (n <= 2 ? 500 : 200));
    try {
      const n = notifier(`json:${flaky.url}`);
      await n.onPolled(state("diverged"), new Date(Date.UTC(2026, 10, 27, 11)));
      await n.onPolled(state("diverged"), new Date(Date.UTC(2026, 10, 27, 11, 0, 2)));
      await n.deliverer.idle();
      expect(flaky.hits).toHaveLength(3);
      expect(flaky.hits[1]!.at - flaky.hits[0]!.at).toBeGreaterThanOrEqual(45);
      const d = (await listDeliveries(getDb(databaseUrl)))[0]!;
      expect(d).toMatchObject({
        channel: "env-1",
        event: "firing",
        status: "sent",
        attempts: 3,
        error: "HTTP 500",
      });
    } finally {
      flaky.close();
    }
  });

  test("a receiver that is down, or too slow, ends as failed with the reason; the poll never waits", async () => {
    const slow = await receiver(() => "hang");
    const down = await receiver(() => 200);
    down.close();
    try {
      const n = notifier(`json:${down.url},json:${slow.url}`, 20, SHORT);
      const t0 = Date.UTC(2026, 10, 27, 12);
      await n.onPolled(state("diverged"), new Date(t0));
      const started = performance.now();
      await n.onPolled(state("diverged"), new Date(t0 + 2000)); // fires: returns before delivery ends
      const stepMs = performance.now() - started;
      await n.deliverer.idle();
      const ds = (await listDeliveries(getDb(databaseUrl))).slice(0, 2);
      const byChannel = Object.fromEntries(ds.map((d) => [d.channel, d]));
      expect(byChannel["env-1"]).toMatchObject({
        status: "failed",
        attempts: 4,
        error: "connection refused",
      });
      expect(byChannel["env-2"]).toMatchObject({
        status: "failed",
        attempts: 4,
        error: "no answer within 300 ms",
      });
      expect(slow.hits).toHaveLength(4);
      // The four attempts with back-off take over a second; the poll's step took far less.
      expect(stepMs).toBeLessThan(1000);
    } finally {
      slow.close();
    }
  });

  test("past the rate limit a message is recorded as rate_limited, not sent", async () => {
    const r = await receiver(() => 200);
    try {
      const n = notifier(`json:${r.url}`, 1);
      await episode(n, Date.UTC(2026, 10, 27, 13));
      expect(r.hits).toHaveLength(1);
      const ds = await listDeliveries(getDb(databaseUrl));
      expect(ds.slice(0, 2).map((d) => [d.event, d.status])).toEqual([
        ["resolved", "rate_limited"],
        ["firing", "sent"],
      ]);
    } finally {
      r.close();
    }
  });

  test("Slack text carries the fleet's words as text: no mention, no forged link", async () => {
    const slack = await receiver(() => 200);
    try {
      const n = notifier(`slack:${slack.url}`);
      const evil = "<!channel> <http://evil.example|Open in L9 State Health> & co";
      const t0 = Date.UTC(2026, 10, 27, 14);
      await n.onPolled(state("diverged", evil), new Date(t0));
      await n.onPolled(state("diverged", evil), new Date(t0 + 2000));
      await n.deliverer.idle();
      const text = (slack.hits[0]!.body as { text: string }).text;
      expect(text).toContain(
        "Project &lt;!channel&gt; &lt;http://evil.example|Open in L9 State Health&gt; &amp; co is diverged",
      );
      expect(text).not.toMatch(/<!channel>|<http:\/\/evil/);
      // Our one link, to the project page, with the name encoded in it.
      expect(text.match(/<[^>]*>/g)).toEqual([
        `<http://127.0.0.1:3000/projects/${encodeURIComponent(evil)}|Open in L9 State Health>`,
      ]);
    } finally {
      slack.close();
    }
  });
});

describe("a notifier taking over (issue 26)", () => {
  test("goes on from the stored episodes: a firing is not sent again, its recovery is sent once", async () => {
    const r = await receiver(() => 200);
    try {
      const t0 = Date.UTC(2026, 10, 27, 15);
      const first = notifier(`json:${r.url}`);
      await first.onPolled(state("diverged"), new Date(t0));
      await first.onPolled(state("diverged"), new Date(t0 + 1500));
      await first.deliverer.idle();
      expect(r.hits.map((h) => (h.body as { event: string }).event)).toEqual(["firing"]);
      // The first process is gone (its memory with it); another one notifies from now on.
      const next = notifier(`json:${r.url}`);
      await next.onPolled(state("diverged"), new Date(t0 + 3000));
      await next.onPolled(state("diverged"), new Date(t0 + 5000));
      await next.onPolled(state("consistent"), new Date(t0 + 6000));
      await next.deliverer.idle();
      expect(r.hits.map((h) => (h.body as { event: string; since: string }).event)).toEqual([
        "firing",
        "resolved",
      ]);
      // The recovery names the episode's start as the first process saw it.
      expect(r.hits[1]!.body).toMatchObject({ since: new Date(t0).toISOString(), subject: "alpha" });
      expect(await getDb(databaseUrl).alertEpisode.count()).toBe(0);
    } finally {
      r.close();
    }
  });

  test("a process that stood down reads the episodes again before it notifies", async () => {
    const r = await receiver(() => 200);
    try {
      const t0 = Date.UTC(2026, 10, 27, 16);
      const a = notifier(`json:${r.url}`);
      const b = notifier(`json:${r.url}`);
      await a.onPolled(state("diverged"), new Date(t0));
      await a.onPolled(state("diverged"), new Date(t0 + 1500));
      // b notified earlier and still holds what it knew then (nothing); it stood down since.
      b.standDown();
      await b.onPolled(state("diverged"), new Date(t0 + 3000));
      await b.onPolled(state("consistent"), new Date(t0 + 4000));
      await a.deliverer.idle();
      await b.deliverer.idle();
      expect(r.hits.map((h) => (h.body as { event: string }).event)).toEqual(["firing", "resolved"]);
    } finally {
      r.close();
    }
  });
});

describe("where a delivery may go", () => {
  test("a receiver on loopback that is not listed gets nothing; the history names the rule", async () => {
    const r = await receiver(() => 200);
    try {
      const n = notifier(`json:${r.url}`, 20, TIMING, { L9_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1:1" });
      const d = await sendOne(n);
      expect(r.hits).toHaveLength(0);
      expect(d).toMatchObject({
        status: "failed",
        attempts: 1,
        error: "refused: loopback address not in L9_WEBHOOK_ALLOWED_HOSTS",
      });
    } finally {
      r.close();
    }
  });

  test("the Docker daemon's address gets nothing, even listed", async () => {
    const fakeDocker = await receiver(() => 200);
    try {
      const url = `http://127.0.0.1:${fakeDocker.port}/containers/abc/stop`;
      const n = notifier(`json:${url}`, 20, TIMING, { DOCKER_HOST: `tcp://127.0.0.1:${fakeDocker.port}` });
      const d = await sendOne(n);
      expect(fakeDocker.hits).toHaveLength(0);
      expect(d).toMatchObject({
        status: "failed",
        error: "refused: the Docker daemon's address (DOCKER_HOST)",
      });
    } finally {
      fakeDocker.close();
    }
  });

  // The machine has no DNS server to rebind: a resolver stands in for it (the one fake here).
  test("a name is checked in the connection's own lookup: the address checked is the one connected to", async () => {
    const r = await receiver(() => 200);
    try {
      const answers = ["93.184.216.34", "127.0.0.1"]; // public when saved, loopback when sent
      const rebinding: Resolve = async () => [{ address: answers.shift() ?? "127.0.0.1", family: 4 }];
      const url = `http://hooks.example.test:${r.port}/hook`;
      const n = notifier(`json:${url}`, 20, TIMING, { L9_WEBHOOK_ALLOWED_HOSTS: "" }, rebinding);
      const cfg = parseEnv({ L9_WEBHOOKS: `json:${url}` });
      expect(await checkWebhookUrl(url, policyOf(cfg), rebinding)).toBeNull();
      const d = await sendOne(n);
      expect(r.hits).toHaveLength(0);
      expect(d).toMatchObject({
        status: "failed",
        error: "refused: loopback address not in L9_WEBHOOK_ALLOWED_HOSTS",
      });
      // Listed, the same name reaches the receiver at the address the lookup gave.
      const pinned: Resolve = async () => [{ address: "127.0.0.1", family: 4 }];
      const listed = notifier(
        `json:${url}`,
        20,
        TIMING,
        { L9_WEBHOOK_ALLOWED_HOSTS: `hooks.example.test:${r.port}` },
        pinned,
      );
      expect(await sendOne(listed)).toMatchObject({ status: "sent", error: null });
      expect(r.hits).toHaveLength(1);
    } finally {
      r.close();
    }
  });

  test("a redirect is not followed: the address it points to receives nothing", async () => {
    const elsewhere = await receiver(() => 200);
    const r = await receiver(() => ({ redirect: `${elsewhere.url}/stolen` }));
    try {
      const n = notifier(`json:${r.url}`, 20, TIMING);
      const d = await sendOne(n);
      expect(r.hits).toHaveLength(1);
      expect(elsewhere.hits).toHaveLength(0);
      expect(d).toMatchObject({ status: "failed", attempts: 1, error: "redirect not followed (HTTP 307)" });
    } finally {
      r.close();
      elsewhere.close();
    }
  });

  test("a URL's user and password travel as Basic authentication and appear in no error", async () => {
    const r = await receiver(() => 200);
    const down = await receiver(() => 200);
    down.close();
    try {
      const withAuth = r.url.replace("http://", "http://hook-user:s3cr%40t@");
      const dead = down.url.replace("http://", "http://hook-user:s3cr%40t@");
      const n = notifier(`json:${withAuth},json:${dead}`, 20, SHORT);
      expect(await sendOne(n, "env-1")).toMatchObject({ status: "sent", error: null });
      expect(r.hits[0]!.authorization).toBe(`Basic ${Buffer.from("hook-user:s3cr@t").toString("base64")}`);
      const failed = await sendOne(n, "env-2");
      expect(failed).toMatchObject({ status: "failed", error: "connection refused" });
      expect(JSON.stringify(await listDeliveries(getDb(databaseUrl)))).not.toMatch(
        /s3cr|hook-user|127\.0\.0\.1/,
      );
    } finally {
      r.close();
    }
  });
});
