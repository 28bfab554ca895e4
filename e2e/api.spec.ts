// The public HTTP API over real HTTP against the built app, a real daemon and a real registry file.
import fs from "node:fs";
import { expect, test } from "./support/fixtures";

test("health is 200 with Docker reachable and the database ok", async ({ app, request }) => {
  const res = await request.get(`${app.url}/api/v1/health`);
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ status: "ok", docker: { reachable: true }, database: { status: "ok" } });
});

test("state reflects containers and a pushed snapshot", async ({ app, fleet, request }) => {
  const id = await fleet.run({ project: "alpha", port: 48101, phase1: true });
  fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: { alpha: 48101 } }));
  const push = await request.post(`${app.url}/api/v1/ingest/active-indexers`, {
    data: {
      instance_id: "mcp-e2e",
      started_at: new Date().toISOString(),
      taken_at: new Date().toISOString(),
      indexers: { alpha: { container_id: id.slice(0, 12), port: 48101 } },
    },
  });
  expect(push.status()).toBe(202);
  await expect(async () => {
    const state = await (await request.get(`${app.url}/api/v1/state`)).json();
    expect(state.summary).toMatchObject({ checks: 2, diverged: 0, divergence_rate: 0, projects: 1 });
    expect(state.projects[0]).toMatchObject({ project: "alpha", health: "consistent" });
    expect(state.sources.map((s: { id: string; status: string }) => `${s.id}=${s.status}`)).toEqual([
      "container_registry=ok",
      "active_indexers:mcp-e2e=ok",
    ]);
  }).toPass({ timeout: 10_000 });
  const detail = await request.get(`${app.url}/api/v1/projects/alpha?from=now-1h`);
  expect(detail.status()).toBe(200);
  expect(await detail.json()).toMatchObject({ project: "alpha", current: { health: "consistent" } });
  expect((await request.get(`${app.url}/api/v1/projects/nobody`)).status()).toBe(404);
  expect((await request.get(`${app.url}/api/v1/projects/alpha?from=yesterday`)).status()).toBe(400);
  const metrics = await request.get(`${app.url}/metrics`);
  expect(metrics.headers()["content-type"]).toContain("text/plain");
  expect(await metrics.text()).toMatch(/^l9_divergence_rate 0$/m);
});

const snapshot = {
  instance_id: "mcp-bad",
  started_at: "2025-09-24T09:58:00Z",
  taken_at: "2025-09-24T10:00:00Z",
  indexers: {},
};
for (const [name, body, field] of [
  ["instance_id missing", { ...snapshot, instance_id: undefined }, "instance_id"],
  ["started_at not a time", { ...snapshot, started_at: "yesterday" }, "started_at"],
  ["indexers not an object", { ...snapshot, indexers: [] }, "indexers"],
  [
    "container_id too short",
    { ...snapshot, indexers: { a: { container_id: "3f9c2a" } } },
    "indexers.a.container_id",
  ],
  [
    "container_id not hex",
    { ...snapshot, indexers: { a: { container_id: "zzzzzzzzzzzzzz" } } },
    "indexers.a.container_id",
  ],
  ["port out of range", { ...snapshot, indexers: { a: { port: 70000 } } }, "indexers.a.port"],
] as const) {
  test(`active-indexers: 400 naming the field when ${name}`, async ({ app, request }) => {
    const res = await request.post(`${app.url}/api/v1/ingest/active-indexers`, { data: body });
    expect(res.status()).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "bad_request", field });
  });
}

for (const [name, body, field] of [
  [
    "served_by unknown",
    {
      instance_id: "i",
      // "cache" is a valid value since CONTRACT 7g
      events: [{ at: "2025-09-24T10:00:01Z", project: "a", served_by: "memo", docker_ok: true }],
    },
    "events.0.served_by",
  ],
  [
    "docker_ok missing",
    { instance_id: "i", events: [{ at: "2025-09-24T10:00:01Z", project: "a", served_by: "docker" }] },
    "events.0.docker_ok",
  ],
  ["events not a list", { instance_id: "i", events: {} }, "events"],
] as const) {
  test(`read-events: 400 naming the field when ${name}`, async ({ app, request }) => {
    const res = await request.post(`${app.url}/api/v1/ingest/read-events`, { data: body });
    expect(res.status()).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "bad_request", field });
  });
}

test("malformed JSON is 400, over 1 MiB is 413, and neither touches stored history", async ({
  app,
  request,
}) => {
  const ok = await request.post(`${app.url}/api/v1/ingest/read-events`, {
    data: {
      instance_id: "i",
      events: [
        { at: "2025-09-24T10:00:01Z", project: "a", served_by: "fallback", docker_ok: false, latency_ms: 3 },
      ],
    },
  });
  expect(ok.status()).toBe(202);
  const bad = await request.post(`${app.url}/api/v1/ingest/read-events`, {
    headers: { "content-type": "application/json" },
    data: Buffer.from("{not json"),
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.field).toBe("body");
  const big = await request.post(`${app.url}/api/v1/ingest/active-indexers`, {
    headers: { "content-type": "application/json" },
    data: `{"pad":"${"x".repeat(1024 * 1024)}"}`,
  });
  expect(big.status()).toBe(413);
  const notObject = await request.post(`${app.url}/api/v1/ingest/active-indexers`, { data: [1, 2] });
  expect((await notObject.json()).error).toMatchObject({ code: "bad_request", field: "body" });
  const health = await request.get(`${app.url}/api/v1/health`);
  expect(health.status()).toBe(200);
});

test("spoofed forwarding headers do not change who the client is", async ({ app, request }) => {
  const res = await request.post(`${app.url}/api/v1/ingest/read-events`, {
    headers: { "x-forwarded-for": "203.0.113.9", "x-l9-peer": "203.0.113.9" },
    data: { instance_id: "i", events: [] },
  });
  expect(res.status()).toBe(202);
});

test.describe("with an ingest token", () => {
  test.use({ appEnv: { L9_INGEST_TOKEN: "s3cret" } });
  test("401 without the bearer token, 202 with it", async ({ app, request }) => {
    const body = { instance_id: "i", events: [] };
    expect((await request.post(`${app.url}/api/v1/ingest/read-events`, { data: body })).status()).toBe(401);
    expect(
      (
        await request.post(`${app.url}/api/v1/ingest/read-events`, {
          data: body,
          headers: { authorization: "Bearer wrong" },
        })
      ).status(),
    ).toBe(401);
    expect(
      (
        await request.post(`${app.url}/api/v1/ingest/read-events`, {
          data: body,
          headers: { authorization: "Bearer s3cret" },
        })
      ).status(),
    ).toBe(202);
  });
});

test.describe("with Docker unreachable", () => {
  test.use({ appEnv: { DOCKER_HOST: "unix:///tmp/l9-nothing-listens-here.sock" } });
  test("health is 503 with a readable reason; state says unknown", async ({ app, request }) => {
    fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: { alpha: 48101 } }));
    const res = await request.get(`${app.url}/api/v1/health`);
    expect(res.status()).toBe(503);
    const body = await res.json();
    expect(body.status).toBe("degraded");
    expect(body.reasons.join(" ")).toContain(
      "Docker unreachable at unix:///tmp/l9-nothing-listens-here.sock",
    );
    await expect(async () => {
      const state = await (await request.get(`${app.url}/api/v1/state`)).json();
      expect(state.docker.reachable).toBe(false);
      expect(state.summary.checks).toBe(0);
      expect(state.projects).toEqual([expect.objectContaining({ project: "alpha", health: "unknown" })]);
    }).toPass({ timeout: 10_000 });
  });
});
