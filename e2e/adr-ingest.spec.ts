// The ADR-0098 branch's ingest (CONTRACT 7b, 7c, 7g) against the built app: the captured
// bodies are accepted, each bad input is a 400 naming its field and stores nothing.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "./support/fixtures";

const FIX = path.join(import.meta.dirname, "..", "test", "fixtures", "adr-branch");
const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(FIX, name), "utf8"));

const count = (url: string, table: string) => {
  const db = new Database(url.replace(/^file:/, ""), { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

test("allocation-failed: 202 for a refused bind; 400 naming the field for each bad input, nothing stored", async ({
  app,
  request,
}) => {
  const url = `${app.url}/api/v1/ingest/allocation-failed`;
  const event = {
    at: "2026-12-01T10:42:00.123456Z",
    project: "beta",
    port: 48100,
    message: "port is already allocated",
  };
  for (const [body, field] of [
    [{ events: [event] }, "instance_id"],
    [{ instance_id: "i", events: [{ ...event, at: "soon" }] }, "events.0.at"],
    [{ instance_id: "i", events: [{ ...event, port: 70000 }] }, "events.0.port"],
    [{ instance_id: "i", events: [{ ...event, message: "x".repeat(1001) }] }, "events.0.message"],
    [{ instance_id: "i", events: [event, { ...event, project: "" }] }, "events.1.project"],
  ] as const) {
    const res = await request.post(url, { data: body });
    expect(res.status()).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "bad_request", field });
  }
  expect(count(app.databaseUrl, "AllocationFailure")).toBe(0);
  const ok = await request.post(url, {
    data: { instance_id: "mcp-b", events: [event, { ...event, port: null }] },
  });
  expect(ok.status()).toBe(202);
  expect(await ok.json()).toEqual({ accepted: 2 });
  expect(count(app.databaseUrl, "AllocationFailure")).toBe(2);
});

test("snapshots and read events of the branch code: captured bodies accepted, bad new fields refused", async ({
  app,
  request,
}) => {
  for (const name of [
    "snapshot-beta-allocating.json",
    "snapshot-beta-stopped.json",
    "snapshot-alpha-after-rebuild.json",
  ]) {
    const res = await request.post(`${app.url}/api/v1/ingest/active-indexers`, { data: fixture(name) });
    expect(res.status(), name).toBe(202);
  }
  const bad = await request.post(`${app.url}/api/v1/ingest/active-indexers`, {
    data: {
      instance_id: "mcp-x",
      started_at: "2026-12-01T10:00:00Z",
      taken_at: "2026-12-01T10:00:01Z",
      indexers: {},
      stopped_indexers: { beta: { container_id: "not-hex" } },
    },
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.field).toBe("stopped_indexers.beta.container_id");
  const state = await (await request.get(`${app.url}/api/v1/state`)).json();
  expect(state.sources.map((s: { id: string }) => s.id)).not.toContain("active_indexers:mcp-x");

  const reads = `${app.url}/api/v1/ingest/read-events`;
  const badRead = await request.post(reads, {
    data: {
      instance_id: "i",
      events: [
        { at: "2026-12-01T10:00:02Z", project: "a", served_by: "cache", docker_ok: false, cache_age_ms: -5 },
      ],
    },
  });
  expect(badRead.status()).toBe(400);
  expect((await badRead.json()).error.field).toBe("events.0.cache_age_ms");
  expect(count(app.databaseUrl, "ReadEvent")).toBe(0);
  const okRead = await request.post(reads, { data: fixture("read-events-alpha.json") });
  expect(okRead.status()).toBe(202);
  const cache = await request.post(reads, {
    data: {
      instance_id: "i",
      events: [
        {
          at: "2026-12-01T10:00:02Z",
          project: "a",
          served_by: "cache",
          docker_ok: false,
          cache_age_ms: 12000,
        },
      ],
    },
  });
  expect(cache.status()).toBe(202);
  const db = new Database(app.databaseUrl.replace(/^file:/, ""), { readonly: true });
  try {
    expect(db.prepare(`SELECT servedBy, cacheAgeMs, fallbackVia FROM ReadEvent ORDER BY id`).all()).toEqual([
      { servedBy: "fallback", cacheAgeMs: null, fallbackVia: "env" },
      { servedBy: "cache", cacheAgeMs: 12000, fallbackVia: null },
    ]);
  } finally {
    db.close();
  }
});
