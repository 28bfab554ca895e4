// The ingest schemas for the ADR-0098 branch's fields (CONTRACT 7b, 7c, 7g): the captured
// bodies parse, and each bad input is refused with an error naming its field.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  activeIndexersSnapshotSchema,
  allocationFailedBatchSchema,
  readEventsBatchSchema,
} from "../../lib/contracts/ingest";
import { zodToApiError } from "../../lib/http";
import { snapshotAdrState } from "../../lib/sources/adr-state";

const FIX = path.join(import.meta.dirname, "..", "fixtures", "adr-branch");
const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(FIX, name), "utf8"));
const HEX64 = "01a3938836266fcbc4d9ab76ccf77d22886510fb142f066b34f4e61f464fa303";

const snap = (extra: Record<string, unknown>) => ({
  instance_id: "mcp-1",
  started_at: "2026-12-01T10:00:00Z",
  taken_at: "2026-12-01T10:00:01Z",
  indexers: {},
  ...extra,
});

function fieldOf(
  schema: { safeParse: (x: unknown) => { success: boolean; error?: unknown } },
  body: unknown,
) {
  const r = schema.safeParse(body);
  if (r.success) return null;
  return zodToApiError(r.error as Parameters<typeof zodToApiError>[0]).field;
}

describe("captured bodies of the branch code parse", () => {
  test.each([
    "snapshot-beta-allocating.json",
    "snapshot-beta-stopped.json",
    "snapshot-alpha-after-rebuild.json",
    "snapshot-alpha-ended.json",
  ])("%s", (name) => {
    expect(activeIndexersSnapshotSchema.safeParse(fixture(name)).success).toBe(true);
  });
  test("read-events-alpha.json keeps fallback_via", () => {
    const r = readEventsBatchSchema.parse(fixture("read-events-alpha.json"));
    expect(r.events[0]).toMatchObject({ served_by: "fallback", fallback_via: "env" });
  });
  test("snapshot-beta-stopped.json: stopped beta with its stop time, 48100 allocated to beta", () => {
    const s = snapshotAdrState(activeIndexersSnapshotSchema.parse(fixture("snapshot-beta-stopped.json")));
    expect(s.stopped?.get("beta")).toEqual({
      containerId: HEX64,
      stopTimeMs: Date.parse("2026-12-01T19:55:43.741Z"),
      port: 48100,
    });
    expect(s.allocated).toEqual([
      { port: 48100, project: "beta", sinceMs: Date.parse("2026-12-01T19:55:31.506Z") },
    ]);
  });
  test("snapshot-beta-allocating.json: 48100 allocated, held by no project yet", () => {
    const s = snapshotAdrState(activeIndexersSnapshotSchema.parse(fixture("snapshot-beta-allocating.json")));
    expect(s.allocated?.map((a) => [a.port, a.project])).toEqual([[48100, null]]);
  });
  test("a 1.1 body (no stopped_indexers, no allocated_ports) is unknown, not empty", () => {
    const s = snapshotAdrState(activeIndexersSnapshotSchema.parse(snap({})));
    expect(s).toEqual({ stopped: null, allocated: null });
  });
  test("only orchestrators[] carry them: their union", () => {
    const s = snapshotAdrState(
      activeIndexersSnapshotSchema.parse(
        snap({
          orchestrators: [
            { name: "a", indexers: {}, stopped_indexers: { x: { container_id: HEX64, port: 48100 } } },
            { name: "b", indexers: {}, allocated_ports: [{ port: "48101", project: "y" }] },
          ],
        }),
      ),
    );
    expect([...(s.stopped?.keys() ?? [])]).toEqual(["x"]);
    expect(s.allocated).toEqual([{ port: 48101, project: "y", sinceMs: null }]);
  });
});

describe("bad inputs name their field", () => {
  test.each([
    [
      "stopped container_id not hex",
      snap({ stopped_indexers: { b: { container_id: "zz" } } }),
      "stopped_indexers.b.container_id",
    ],
    [
      "stopped container_id too short",
      snap({ stopped_indexers: { b: { container_id: "abc123" } } }),
      "stopped_indexers.b.container_id",
    ],
    [
      "stopped stop_time not a date",
      snap({ stopped_indexers: { b: { stop_time: "yesterday" } } }),
      "stopped_indexers.b.stop_time",
    ],
    [
      "stopped port out of range",
      snap({ stopped_indexers: { b: { port: 70000 } } }),
      "stopped_indexers.b.port",
    ],
    ["stopped_indexers a list", snap({ stopped_indexers: [] }), "stopped_indexers"],
    ["allocated_ports not a list", snap({ allocated_ports: { 48100: "a" } }), "allocated_ports"],
    ["allocated port missing", snap({ allocated_ports: [{ project: "a" }] }), "allocated_ports.0.port"],
    ["allocated port a word", snap({ allocated_ports: [{ port: "high" }] }), "allocated_ports.0.port"],
    [
      "allocated project empty",
      snap({ allocated_ports: [{ port: 48100, project: "" }] }),
      "allocated_ports.0.project",
    ],
    [
      "allocated since not a date",
      snap({ allocated_ports: [{ port: 48100, since: 12 }] }),
      "allocated_ports.0.since",
    ],
    [
      "an orchestrator's stopped entry",
      snap({ orchestrators: [{ name: "o", indexers: {}, stopped_indexers: { b: { port: "x" } } }] }),
      "orchestrators.0.stopped_indexers.b.port",
    ],
    [
      "an orchestrator's allocated port",
      snap({ orchestrators: [{ name: "o", indexers: {}, allocated_ports: [{ port: 0 }] }] }),
      "orchestrators.0.allocated_ports.0.port",
    ],
  ])("snapshot: %s", (_name, body, field) => {
    expect(fieldOf(activeIndexersSnapshotSchema, body)).toBe(field);
  });

  const read = (e: Record<string, unknown>) => ({
    instance_id: "i",
    events: [{ at: "2026-12-01T10:00:00Z", project: "a", served_by: "cache", docker_ok: false, ...e }],
  });
  test.each([
    ["served_by unknown", read({ served_by: "memo" }), "events.0.served_by"],
    ["cache_age_ms negative", read({ cache_age_ms: -1 }), "events.0.cache_age_ms"],
    ["cache_age_ms a string", read({ cache_age_ms: "12s" }), "events.0.cache_age_ms"],
    ["fallback_via empty", read({ served_by: "fallback", fallback_via: "" }), "events.0.fallback_via"],
    ["fallback_via a number", read({ served_by: "fallback", fallback_via: 3 }), "events.0.fallback_via"],
  ])("read events: %s", (_name, body, field) => {
    expect(fieldOf(readEventsBatchSchema, body)).toBe(field);
  });

  const failed = (e: Record<string, unknown>) => ({
    instance_id: "i",
    events: [
      {
        at: "2026-12-01T10:42:00Z",
        project: "beta",
        port: 48100,
        message: "port is already allocated",
        ...e,
      },
    ],
  });
  test.each([
    ["no instance_id", { events: [] }, "instance_id"],
    ["events not a list", { instance_id: "i", events: {} }, "events"],
    ["at not a date", failed({ at: "soon" }), "events.0.at"],
    ["project empty", failed({ project: "" }), "events.0.project"],
    ["port out of range", failed({ port: 0 }), "events.0.port"],
    ["message missing", failed({ message: undefined }), "events.0.message"],
    ["message over 1000 characters", failed({ message: "x".repeat(1001) }), "events.0.message"],
  ])("allocation-failed: %s", (_name, body, field) => {
    expect(fieldOf(allocationFailedBatchSchema, body)).toBe(field);
  });
  test("allocation-failed: a port of null or absent is accepted (Docker's message did not name it)", () => {
    expect(allocationFailedBatchSchema.parse(failed({ port: null })).events[0]?.port).toBeNull();
    expect(allocationFailedBatchSchema.parse(failed({ port: undefined })).events[0]?.port).toBeNull();
  });
});

test("L9_LABEL_HASH_PREFIX_OK=1 is read by lib/env.ts (default off)", async () => {
  const { parseEnv } = await import("../../lib/env");
  expect(parseEnv({}).labelHashPrefixOk).toBe(false);
  expect(parseEnv({ L9_LABEL_HASH_PREFIX_OK: "1" }).labelHashPrefixOk).toBe(true);
  expect(() => parseEnv({ L9_LABEL_HASH_PREFIX_OK: "yes" })).toThrow(/L9_LABEL_HASH_PREFIX_OK/);
});

test.each([
  [
    "com.l9.managed=true,com.l9.test!=true",
    [{ key: "com.l9.managed", value: "true" }],
    [{ key: "com.l9.test", value: "true" }],
  ],
  ["com.l9.managed=true", [{ key: "com.l9.managed", value: "true" }], []],
  ["a=b!=c", [{ key: "a", value: "b!=c" }], []],
])("L9_LABEL_SELECTOR %s: Docker's filter and the product's exclusions", async (raw, include, exclude) => {
  const { parseEnv } = await import("../../lib/env");
  const e = parseEnv({ L9_LABEL_SELECTOR: raw });
  expect(e.labelSelector).toEqual(include);
  expect(e.labelExclude).toEqual(exclude);
});

test("L9_LABEL_SELECTOR of only key!=value terms is refused (Docker would list everything)", async () => {
  const { parseEnv } = await import("../../lib/env");
  expect(() => parseEnv({ L9_LABEL_SELECTOR: "com.l9.test!=true" })).toThrow(/L9_LABEL_SELECTOR/);
});
