// InstanceSource alone, on a real migrated SQLite file (no Docker): snapshots, staleness,
// a replacement recorded as a restart, recovery, and what a restart of the app reloads.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closeDb, getDb } from "../db";
import { parseEnv } from "../env";
import { applyMigrations } from "../../scripts/schema-engine.mjs";
import { InstanceSource, snapshotEntries } from "./instances";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-instances-"));
const databaseUrl = `file:${path.join(dir, "t.db")}`;
const cfg = parseEnv({ DATABASE_URL: databaseUrl, L9_INSTANCE_STALE_MS: "30000" });
let clock = new Date("2026-11-27T10:00:00Z");
const now = () => clock;
const later = (s: number) => (clock = new Date(clock.getTime() + s * 1000));
const snap = (
  id: string,
  startedAt: string,
  indexers: Record<string, { container_id: string; port: number }>,
) => ({
  instance_id: id,
  started_at: new Date(startedAt),
  taken_at: clock,
  indexers,
});

beforeAll(async () => {
  await applyMigrations(databaseUrl);
});
afterAll(async () => {
  await closeDb(databaseUrl);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("InstanceSource", () => {
  test("a live instance is an ok source; silent past the threshold it is stale and empty", async () => {
    const src = new InstanceSource(getDb(databaseUrl), cfg, now);
    await src.load();
    await src.ingest(
      snap("mcp-a", "2026-11-27T09:00:00Z", { alpha: { container_id: "a".repeat(12), port: 48101 } }),
      "push",
    );
    expect(src.sources(clock).sources).toMatchObject([{ id: "active_indexers:mcp-a", status: "ok" }]);
    expect(src.sources(clock).sources[0]?.entries.get("alpha")).toEqual({
      containerId: "a".repeat(12),
      port: 48101,
    });
    later(31);
    const { sources, apiSources } = src.sources(clock);
    expect(sources[0]).toMatchObject({ status: "stale", entries: new Map() });
    expect(apiSources[0]?.detail).toMatch(/no snapshot for 31 s/);
  });

  test("a new instance replacing the stale one is a stored restart that recovers when its checks agree", async () => {
    const db = getDb(databaseUrl);
    const src = new InstanceSource(db, cfg, now);
    await src.load();
    await src.ingest(
      snap("mcp-b", clock.toISOString(), { alpha: { container_id: "a".repeat(12), port: 48101 } }),
      "push",
    );
    await src.detectReplacements(clock);
    const rows = await db.restart.findMany({ where: { instanceId: "mcp-b" } });
    expect(rows).toMatchObject([
      { previousInstanceId: "mcp-a", reason: "replaced_stale", recoveredAt: null },
    ]);

    const { sources } = src.sources(clock);
    const check = (status: "consistent" | "diverged") => [
      {
        project: "alpha",
        health: "consistent" as const,
        containers: [],
        checks: [{ source: "active_indexers:mcp-b", project: "alpha", status, findings: [] }],
        findings: [],
      },
    ];
    expect(src.recovered(sources, check("diverged"))).toEqual([]);
    const recovered = src.recovered(sources, check("consistent"));
    expect(recovered.map((r) => r.id)).toEqual([rows[0]!.id]);
    src.markRecovered(recovered.map((r) => r.id));
    expect(src.recovered(sources, check("consistent"))).toEqual([]);

    // The app restarts: the records and the pairing come back from the database.
    const again = new InstanceSource(db, cfg, now);
    await again.load();
    expect(again.sources(clock).apiSources.map((s) => [s.id, s.status])).toEqual([
      ["active_indexers:mcp-a", "stale"],
      ["active_indexers:mcp-b", "ok"],
    ]);
    await again.detectReplacements(clock);
    expect(await db.restart.count()).toBe(1);
  });

  test("an unreachable orchestrator URL becomes an unreadable source naming the error", async () => {
    const withUrl = parseEnv({
      DATABASE_URL: databaseUrl,
      L9_ORCHESTRATOR_URLS: "http://127.0.0.1:9/snapshot",
      L9_DOCKER_TIMEOUT_MS: "500",
    });
    const src = new InstanceSource(getDb(databaseUrl), withUrl, now);
    await src.pull();
    expect(src.sources(clock).apiSources).toContainEqual(
      expect.objectContaining({ id: "orchestrator_url:http://127.0.0.1:9/snapshot", status: "unreadable" }),
    );
  });
});

describe("snapshotEntries keeps unchanged entries as the same objects (the divergence memo's rule)", () => {
  const s1 = snap("i1", "2026-11-27T10:00:00Z", {
    alpha: { container_id: "aaaaaaaaaaaa", port: 48101 },
    beta: { container_id: "bbbbbbbbbbbb", port: 48102 },
  });
  test("the same dict again: the previous map itself", () => {
    const first = snapshotEntries(s1);
    expect(snapshotEntries({ ...s1 }, first)).toBe(first);
  });
  test("one entry changed: a new map, the other entry the same object, the changed one new", () => {
    const first = snapshotEntries(s1);
    const s2 = snap("i1", "2026-11-27T10:00:00Z", {
      alpha: { container_id: "aaaaaaaaaaaa", port: 48101 },
      beta: { container_id: "cccccccccccc", port: 48102 },
    });
    const second = snapshotEntries(s2, first);
    expect(second).not.toBe(first);
    expect(second.get("alpha")).toBe(first.get("alpha"));
    expect(second.get("beta")).toEqual({ containerId: "cccccccccccc", port: 48102 });
  });
  test("an entry gone: a new map", () => {
    const first = snapshotEntries(s1);
    const gone = snapshotEntries(
      snap("i1", "2026-11-27T10:00:00Z", { alpha: { container_id: "aaaaaaaaaaaa", port: 48101 } }),
      first,
    );
    expect(gone).not.toBe(first);
    expect([...gone.keys()]).toEqual(["alpha"]);
  });
});
