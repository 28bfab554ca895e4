// Issue 28: no single request can freeze the app, lock an instance out or answer 500. Real HTTP
// against the built app (a real daemon behind it), its own SQLite; each case names its limit.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "./support/fixtures";
import { startApp, type App } from "./support/app";
import { applyMigrations } from "../scripts/schema-engine.mjs";
import { getDb } from "../lib/db";

type Answer = {
  status: number;
  body: { error?: { code: string; message: string; field?: string } } & Record<string, unknown>;
};

/** One request (no cookie jar unless given one): an old build that hangs fails on the timeout. */
async function call(
  url: string,
  init: { method?: string; body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
): Promise<Answer & { cookie: string | null }> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.body !== undefined || init.method ? { "content-type": "application/json" } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as Answer["body"]) : {},
    cookie: res.headers.get("set-cookie")?.split(";")[0] ?? null,
  };
}

async function signIn(app: App): Promise<string> {
  const r = await call(`${app.url}/api/v1/session`, { body: { name: "ana" } });
  expect(r.status).toBe(200);
  return r.cookie!;
}

const latestPollId = async (app: App) =>
  ((await call(`${app.url}/api/v1/state`)).body.poll_id as number | null) ?? 0;

const now = () => new Date().toISOString();
const snapshot = (instance: string, projects: number, extra: Record<string, unknown> = {}) => ({
  instance_id: instance,
  started_at: now(),
  taken_at: now(),
  indexers: Object.fromEntries(Array.from({ length: projects }, (_, i) => [i.toString(36), {}])),
  ...extra,
});
const readEvents = (n: number, at = now()) => ({
  instance_id: "mcp-reads",
  events: Array.from({ length: n }, () => ({ at, project: "alpha", served_by: "docker", docker_ok: true })),
});
const FAR = "9999-12-31T00:00:00Z";

test.describe("queries are bounded by the history kept", () => {
  for (const [query, field, message] of [
    ["/api/v1/series?from=now-100000d", "from", /at most 90 days \(L9_RETENTION_DAYS=90/],
    ["/api/v1/series?from=now-91d", "from", /spans 91 days; at most 90 days/],
    ["/api/v1/series?from=1970-01-01T00:00:00Z&to=now", "from", /at most 90 days/],
    ["/api/v1/projects/alpha?from=now-100000d", "from", /at most 90 days/],
    ["/api/v1/phases?window=100000d", "window", /at most 90 days \(L9_RETENTION_DAYS=90/],
    ["/api/v1/phases?window=99999999999999999999d", "window", /at most 90 days/],
    ["/api/v1/series?to=99999999999999999999", "to", /expected an ISO-8601 time/],
    ["/api/v1/series?from=now-99999999999999999999d", "from", /expected an ISO-8601 time/],
    ["/api/v1/series?from=2026-02-30T00:00:00Z&to=2026-03-03T00:00:00Z", "from", /expected an ISO-8601/],
    ["/api/v1/projects/alpha?from=2026-02-30", "from", /expected an ISO-8601 time/],
    ["/api/v1/audit?from=2026-02-30", "from", /expected an ISO-8601 time/],
    ["/api/v1/audit?to=99999999999999999999", "to", /expected an ISO-8601 time/],
  ] as const) {
    test(`GET ${query} is a 400 on ${field}`, async ({ app }) => {
      const r = await call(`${app.url}${query}`);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: "bad_request", field });
      expect(r.body.error!.message).toMatch(message);
    });
  }

  test("a review's window is bounded too", async ({ app }) => {
    const cookie = await signIn(app);
    for (const window of ["100000d", "91d"]) {
      const r = await call(`${app.url}/api/v1/reviews`, { body: { phase: 0, window }, cookie });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ field: "window" });
      expect(r.body.error!.message).toMatch(/L9_RETENTION_DAYS/);
    }
  });
});

test.describe("the largest query allowed", () => {
  test.use({ appEnv: { L9_RETENTION_DAYS: "3650" } });

  test("ten years of series is at most 121 buckets, and polls are stored and health answers all along", async ({
    app,
  }) => {
    const first = await latestPollId(app);
    const health: number[] = [];
    let querying = true;
    // Health and the poll loop watched while the largest queries run back to back.
    const watcher = (async () => {
      while (querying) health.push((await call(`${app.url}/api/v1/health`)).status);
    })();
    let queries = 0;
    let polls = 0;
    try {
      while (queries < 300 && polls < 3) {
        const series = await call(`${app.url}/api/v1/series?from=now-3650d`);
        expect(series.status).toBe(200);
        expect((series.body.points as unknown[]).length).toBeLessThanOrEqual(121);
        const detail = await call(`${app.url}/api/v1/projects/alpha?from=now-3650d`);
        expect(detail.status).toBe(404); // never seen: the range was read, then the name refused
        const phases = await call(`${app.url}/api/v1/phases?window=3650d`);
        expect(phases.status).toBe(200);
        queries += 1;
        polls = (await latestPollId(app)) - first;
      }
    } finally {
      querying = false;
      await watcher;
    }
    expect(polls, "polls stored while the queries ran").toBeGreaterThanOrEqual(3);
    expect(health.length).toBeGreaterThan(0);
    expect(
      health.every((s) => s === 200),
      `health answers: ${health.join(",")}`,
    ).toBe(true);
    const over = await call(`${app.url}/api/v1/series?from=now-3651d`);
    expect(over.body.error?.message).toMatch(/at most 3650 days \(L9_RETENTION_DAYS=3650/);
  });
});

test.describe("snapshots are bounded (L9_MAX_PROJECTS, default 2,000)", () => {
  test("over the limit is 413 and stores nothing; at the limit it is accepted and polling goes on", async ({
    app,
  }) => {
    const ingest = (body: unknown) => call(`${app.url}/api/v1/ingest/active-indexers`, { body });
    const sourceIds = async () =>
      ((await call(`${app.url}/api/v1/state`)).body.sources as { id: string }[]).map((s) => s.id);
    for (const n of [100_000, 2001]) {
      const r = await ingest(snapshot(`mcp-${n}`, n));
      expect(r.status, `${n} projects`).toBe(413);
      expect(r.body.error).toMatchObject({ code: "payload_too_large", field: "indexers" });
      expect(r.body.error!.message).toContain(
        `${n} projects in one snapshot; at most 2000 (L9_MAX_PROJECTS)`,
      );
    }
    const split = await ingest({
      ...snapshot("mcp-dicts", 0),
      orchestrators: [
        { name: "a", indexers: snapshot("x", 1500).indexers },
        { name: "b", indexers: snapshot("x", 1500).indexers },
      ],
    });
    expect(split.status, "every dict's entries count").toBe(413);
    const before = await latestPollId(app);
    await expect(async () => expect(await latestPollId(app)).toBeGreaterThan(before)).toPass();
    expect((await sourceIds()).filter((id) => /mcp-(100000|2001|dicts)/.test(id))).toEqual([]);

    const atLimit = await ingest(snapshot("mcp-limit", 2000));
    expect(atLimit.status).toBe(202);
    await expect(async () => expect(await sourceIds()).toContain("active_indexers:mcp-limit")).toPass();
    const other = await ingest(snapshot("mcp-other", 1));
    expect(other.status, "all live instances together").toBe(413);
    expect(other.body.error!.message).toMatch(/hold 2000 projects; with this snapshot's 1 .*L9_MAX_PROJECTS/);

    const first = await latestPollId(app);
    const health: number[] = [];
    await expect(async () => {
      health.push((await call(`${app.url}/api/v1/health`)).status);
      expect((await latestPollId(app)) - first).toBeGreaterThanOrEqual(3);
    }).toPass({ timeout: 30_000 });
    expect(
      health.every((s) => s === 200),
      `health answers: ${health.join(",")}`,
    ).toBe(true);
    const state = (await call(`${app.url}/api/v1/state`)).body as { summary: { projects: number } };
    expect(state.summary.projects).toBeGreaterThanOrEqual(2000);
  });

  test("read events: more than 5,000 in one batch is 413 and stores nothing", async ({ app }) => {
    const r = await call(`${app.url}/api/v1/ingest/read-events`, { body: readEvents(5001) });
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: "payload_too_large", field: "events" });
    expect(r.body.error!.message).toContain("5001 events in one batch; at most 5000");
    const ok = await call(`${app.url}/api/v1/ingest/read-events`, { body: readEvents(5000) });
    expect(ok.status).toBe(202);
    expect(ok.body.accepted).toBe(5000);
  });
});

test.describe("times from the future and dates that do not exist", () => {
  const fields = [
    ["active-indexers", "taken_at in 9999", { ...snapshot("mcp-f", 1), taken_at: FAR }, "taken_at"],
    ["active-indexers", "started_at in 9999", { ...snapshot("mcp-f", 1), started_at: FAR }, "started_at"],
    [
      "active-indexers",
      "taken_at on 2026-02-30",
      { ...snapshot("mcp-f", 1), taken_at: "2026-02-30T00:00:00Z" },
      "taken_at",
    ],
    ["read-events", "at in 9999", readEvents(2, FAR), "events.0.at"],
    ["read-events", "at on 2026-02-30", readEvents(1, "2026-02-30T10:00:00Z"), "events.0.at"],
  ] as const;
  for (const [route, what, body, field] of fields) {
    test(`${route}: ${what} is a 400 naming ${field}`, async ({ app }) => {
      const r = await call(`${app.url}/api/v1/ingest/${route}`, { body });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: "bad_request", field });
    });
  }

  test("a snapshot an hour ahead is a 400; 2 minutes ahead (clock skew) is accepted", async ({ app }) => {
    const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();
    const post = (at: string) =>
      call(`${app.url}/api/v1/ingest/active-indexers`, {
        body: { ...snapshot("mcp-skew", 1), taken_at: at, started_at: at },
      });
    const hour = await post(ahead(3600_000));
    expect(hour.status).toBe(400);
    expect(hour.body.error!.message).toMatch(/more than 5 minutes ahead of this server's clock/);
    expect((await post(ahead(120_000))).status).toBe(202);
  });

  test("a phase start in the future, or on a day that does not exist, is a 400", async ({ app }) => {
    const cookie = await signIn(app);
    const post = (started_at: string) =>
      call(`${app.url}/api/v1/phases/current`, { body: { phase: 1, started_at }, cookie });
    for (const at of ["2099-01-01T00:00:00Z", "2026-02-30T00:00:00Z"]) {
      const r = await post(at);
      expect(r.status, at).toBe(400);
      expect(r.body.error).toMatchObject({ code: "bad_request", field: "started_at" });
    }
    const phases = await call(`${app.url}/api/v1/phases`);
    expect(phases.body.history).toEqual([]);
    expect((await post(new Date(Date.now() - 3600_000).toISOString())).status).toBe(201);
  });

  test.describe("acknowledgement expiry", () => {
    test.use({ appEnv: { L9_ACK_MAX_DAYS: "3650" } });
    test("February 30th is refused, not read as March 2nd", async ({ app }) => {
      const cookie = await signIn(app);
      const year = new Date().getUTCFullYear() + 1;
      const r = await call(`${app.url}/api/v1/acknowledgements`, {
        body: { project: "alpha", reason: "known difference", expires_at: `${year}-02-30T00:00:00Z` },
        cookie,
      });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: "bad_request", field: "expires_at" });
      expect((await call(`${app.url}/api/v1/acknowledgements`)).body.history).toEqual([]);
    });
  });
});

test("an instance locked out by a taken_at in 9999 stored by an earlier build takes the next real snapshot", async ({
  fleet,
}) => {
  // The poisoned row as today's build stored it (the API now refuses such a snapshot).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-poison-"));
  const databaseUrl = `file:${path.join(dir, "app.db")}`;
  await applyMigrations(databaseUrl);
  const db = getDb(databaseUrl);
  const started = new Date(Date.now() - 3600_000);
  await db.instance.create({
    data: {
      instanceId: "mcp-poisoned",
      startedAt: started,
      firstSeenAt: started,
      lastSeenAt: started,
      takenAt: new Date(FAR),
      via: "push:default",
      snapshot: "{}",
    },
  });
  await db.$disconnect();
  const app = await startApp({
    DOCKER_HOST: `unix://${fleet.socketPath}`,
    L9_LABEL_SELECTOR: fleet.selector,
    DATABASE_URL: databaseUrl,
  });
  try {
    const r = await call(`${app.url}/api/v1/ingest/active-indexers`, {
      body: { ...snapshot("mcp-poisoned", 1), started_at: started.toISOString() },
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ accepted: true, ignored: false });
    await expect(async () => {
      const sources = (await call(`${app.url}/api/v1/state`)).body.sources as {
        id: string;
        status: string;
        taken_at?: string;
      }[];
      const s = sources.find((x) => x.id === "active_indexers:mcp-poisoned");
      expect(s?.status).toBe("ok");
      expect(s?.taken_at?.startsWith("9999")).toBe(false);
    }).toPass();
  } finally {
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a huge acknowledgement or channel id is a 404 in the error envelope, never a 500", async ({ app }) => {
  const cookie = await signIn(app);
  const huge = "99999999999999999999999";
  for (const [method, url, body] of [
    ["GET", `/api/v1/acknowledgements/${huge}`, undefined],
    ["PATCH", `/api/v1/acknowledgements/${huge}`, { reason: "still known" }],
    ["DELETE", `/api/v1/acknowledgements/${huge}`, undefined],
    ["PATCH", "/api/v1/acknowledgements/2147483648", { reason: "still known" }],
    ["DELETE", `/api/v1/notifications/channels/${huge}`, undefined],
  ] as const) {
    const r = await call(`${app.url}${url}`, { method, body, cookie });
    expect(r.status, `${method} ${url}`).toBe(404);
    expect(r.body.error).toMatchObject({ code: "not_found" });
  }
});

test.describe("a team server's agent deliveries", () => {
  const TOKEN = "ana-hardening-token-0123456789";
  let server: App;
  test.beforeAll(async () => {
    server = await startApp({ L9_ROLE: "server", L9_AGENT_TOKENS: `ana:${TOKEN}` });
  });
  test.afterAll(async () => server?.stop());

  const poll = (id: number, polledAt = now()) => ({
    id,
    polled_at: polledAt,
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
    cum_covered_ms: 0,
    cum_latency_ms: id,
    simulated: false,
    new_containers: [],
    episodes_opened: [],
    episodes_closed: [],
    state: null,
  });
  const deliver = (agentId: number, polls: unknown[]) =>
    call(`${server.url}/api/v1/agent/polls`, {
      body: { host: "ana", agent_version: "test", agent_id: agentId, buffered: 0, dropped: 0, polls },
      headers: { authorization: `Bearer ${TOKEN}` },
    });

  test("a second agent database under a known host name is 409, as documented", async () => {
    expect((await deliver(5, [poll(1)])).status).toBe(200);
    const r = await deliver(6, [poll(1)]);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: "conflict", field: "agent_id" });
    expect(r.body.error!.message).toMatch(/new L9_HOST_NAME/);
  });

  test("a poll time from the future or that does not exist is a 400 naming it", async () => {
    for (const at of [FAR, "2026-02-30T00:00:00Z"]) {
      const r = await deliver(5, [poll(2), poll(3, at)]);
      expect(r.status, at).toBe(400);
      expect(r.body.error).toMatchObject({ code: "bad_request", field: "polls.1.polled_at" });
    }
    const hosts = (await call(`${server.url}/api/v1/hosts`)).body.hosts as { last_poll_id: number }[];
    expect(hosts[0]?.last_poll_id).toBe(1);
  });
});
