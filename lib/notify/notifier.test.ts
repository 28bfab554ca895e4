// The notifier against real HTTP receivers on loopback and a real SQLite file: a firing and a
// recovery delivered once each, Slack's format, a receiver that is down, slow, or answers 500.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closeDb, getDb } from "../db";
import { parseEnv } from "../env";
import { applyMigrations } from "../../scripts/schema-engine.mjs";
import { listDeliveries } from "../store/notifications";
import type { ApiState } from "../contracts/state";
import { Notifier } from "./notifier";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-notify-"));
const databaseUrl = `file:${path.join(dir, "t.db")}`;
// Generous timeouts for receivers that answer (a loaded CI machine must not turn a slow
// answer into a retry and a duplicate); a short one where the receiver never answers.
const TIMING = { timeoutMs: 3000, backoffMs: [50, 100, 150] };
const SHORT = { timeoutMs: 300, backoffMs: [50, 100, 150] };

type Hit = { body: unknown; at: number };
function receiver(
  answer: (n: number) => number | "hang",
): Promise<{ url: string; hits: Hit[]; close: () => void }> {
  const hits: Hit[] = [];
  const srv = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      hits.push({ body: JSON.parse(body) as unknown, at: Date.now() });
      const a = answer(hits.length);
      if (a === "hang") return; // never answers
      res.writeHead(a).end();
    });
  });
  return new Promise((resolve) =>
    srv.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook`,
        hits,
        close: () => srv.close(),
      }),
    ),
  );
}

const state = (health: "diverged" | "consistent"): ApiState =>
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
        project: "alpha",
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

function notifier(webhooks: string, rate = 20, timing = TIMING) {
  const cfg = parseEnv({
    DATABASE_URL: databaseUrl,
    L9_WEBHOOKS: webhooks,
    L9_NOTIFY_AFTER: "1s",
    L9_NOTIFY_RATE_PER_MIN: String(rate),
  });
  return new Notifier(getDb(databaseUrl), cfg, async () => null, timing);
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
      expect(byChannel["env-1"]).toMatchObject({ status: "failed", attempts: 4, error: "ECONNREFUSED" });
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
});
