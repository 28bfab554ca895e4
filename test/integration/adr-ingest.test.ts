// The ADR-0098 branch's fields stored so the core can use them (CONTRACT 7b, 7c, 7g): the
// captured snapshot survives a restart of the app, cache reads are counted apart, refused
// binds are kept. Real SQLite (or PostgreSQL), real bodies from test/fixtures/adr-branch.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { makeHarness, type Harness } from "../support/harness";
import { activeIndexersSnapshotSchema } from "../../lib/contracts/ingest";
import { InstanceSource } from "../../lib/sources/instances";
import {
  countAllocationFailures,
  recordAllocationFailures,
  recordReadEvents,
} from "../../lib/store/instances";
import { getReadFigures } from "../../lib/store/series";
import { LOCAL } from "../../lib/store/history";

const FIX = path.join(import.meta.dirname, "..", "fixtures", "adr-branch");
let h: Harness;

beforeAll(async () => {
  const socket = inject("dockerSocket");
  h = await makeHarness({
    dockerHost: `unix://${socket}`,
    selector: "com.l9.managed=true,com.l9.testrun=none",
  });
});
afterAll(async () => h?.close());

test("a captured snapshot's stopped_indexers and allocated_ports are stored and read back after a restart", async () => {
  const body = JSON.parse(fs.readFileSync(path.join(FIX, "snapshot-beta-stopped.json"), "utf8"));
  await h.collector.ingestSnapshot(activeIndexersSnapshotSchema.parse(body), "push:test");
  const again = new InstanceSource(h.db, h.cfg, () => new Date());
  await again.load();
  const src = again.sources(new Date()).sources.find((s) => s.id === "active_indexers:mcp-vm-23847");
  expect(src?.status).toBe("ok");
  expect(src?.adr?.stopped?.get("beta")).toEqual({
    containerId: "01a3938836266fcbc4d9ab76ccf77d22886510fb142f066b34f4e61f464fa303",
    stopTimeMs: Date.parse("2026-12-01T19:55:43.741Z"),
    port: 48100,
  });
  expect(src?.adr?.allocated).toEqual([
    { port: 48100, project: "beta", sinceMs: Date.parse("2026-12-01T19:55:31.506Z") },
  ]);
});

test("a 1.1 snapshot stores nothing for them: unknown after a restart, not empty", async () => {
  await h.collector.ingestSnapshot(
    activeIndexersSnapshotSchema.parse({
      instance_id: "mcp-old",
      started_at: new Date().toISOString(),
      taken_at: new Date().toISOString(),
      indexers: {},
    }),
    "push:test",
  );
  const again = new InstanceSource(h.db, h.cfg, () => new Date());
  await again.load();
  const src = again.sources(new Date()).sources.find((s) => s.id === "active_indexers:mcp-old");
  expect(src?.adr ?? { stopped: null, allocated: null }).toEqual({ stopped: null, allocated: null });
});

test("cache reads are stored with their age and counted in neither rate; stale ones apart", async () => {
  const at = new Date("2026-12-01T10:00:00Z");
  const row = (servedBy: string, extra: Record<string, unknown> = {}) => ({
    instanceId: "mcp-r",
    at,
    project: "alpha",
    servedBy,
    dockerOk: servedBy === "docker",
    latencyMs: 1,
    ...extra,
  });
  await recordReadEvents(h.db, [
    row("docker"),
    row("fallback", { fallbackVia: "env" }),
    row("cache", { cacheAgeMs: 400 }),
    row("cache", { cacheAgeMs: 12_000, dockerOk: true }),
  ]);
  const f = await getReadFigures(
    h.db,
    new Date(at.getTime() - 1000),
    new Date(at.getTime() + 1000),
    "mcp-r",
    LOCAL,
  );
  expect(f).toEqual({ reads: 2, fallback: 1, unanswered: 0, dockerOk: 1, cache: 2, staleCache: 1 });
  const stored = await h.db.readEvent.findMany({ where: { instanceId: "mcp-r" }, orderBy: { id: "asc" } });
  expect(stored.map((e) => [e.servedBy, e.cacheAgeMs, e.fallbackVia])).toEqual([
    ["docker", null, null],
    ["fallback", null, "env"],
    ["cache", 400, null],
    ["cache", 12_000, null],
  ]);
});

test("allocation failures are stored and counted in a window", async () => {
  const at = new Date("2026-12-01T10:42:00Z");
  await recordAllocationFailures(h.db, [
    { instanceId: "mcp-b", at, project: "beta", port: 48100, message: "port is already allocated" },
    { instanceId: "mcp-b", at, project: "beta", port: null, message: "no port named" },
  ]);
  expect(
    await countAllocationFailures(h.db, new Date(at.getTime() - 1), new Date(at.getTime() + 1), LOCAL),
  ).toBe(2);
  expect(
    await countAllocationFailures(h.db, new Date(at.getTime() + 1), new Date(at.getTime() + 2), LOCAL),
  ).toBe(0);
});
