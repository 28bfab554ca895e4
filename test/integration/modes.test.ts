// Issue 25: the code's mode per process, stored with its changes; a phase judged over the time
// its mode ran; a mode rollback on the timeline and in the rollback signal; Phase 4's legacy
// reads. Real SQLite (or PostgreSQL), the collector's own ingest path, a walking clock.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { makeHarness, type Harness } from "../support/harness";
import { activeIndexersSnapshotSchema } from "../../lib/contracts/ingest";
import { recordReadEvents } from "../../lib/store/instances";
import { setPhase } from "../../lib/store/phases";
import { evaluateAt } from "../../lib/services/evaluate";
import { InstanceSource } from "../../lib/sources/instances";

let h: Harness;
const T0 = Date.now() - 30 * 60_000;
let clock = T0;
const at = (min: number) => new Date(T0 + min * 60_000);

beforeAll(async () => {
  h = await makeHarness({
    dockerHost: `unix://${inject("dockerSocket")}`,
    selector: "com.l9.managed=true,com.l9.testrun=none",
    env: { L9_INSTANCE_STALE_MS: "3600000" },
    now: () => new Date(clock),
  });
});
afterAll(async () => h?.close());

const snap = (id: string, min: number, extra: Record<string, unknown>) =>
  activeIndexersSnapshotSchema.parse({
    instance_id: id,
    started_at: at(0).toISOString(),
    taken_at: at(min).toISOString(),
    indexers: {},
    ...extra,
  });

async function ingest(id: string, min: number, extra: Record<string, unknown>) {
  clock = at(min).getTime();
  await h.collector.ingestSnapshot(snap(id, min, extra), "push:test");
}

const reads = (min: number, n: number, servedBy: "docker" | "fallback") =>
  Array.from({ length: n }, (_, i) => ({
    instanceId: "mcp-a",
    at: new Date(at(min).getTime() + i * 100),
    project: "alpha",
    servedBy,
    dockerOk: servedBy === "docker",
    latencyMs: 1,
  }));

test("a phase is judged over its mode's time; a process on older code is a rollback, a warning and a signal", async () => {
  await setPhase(h.db, { phase: 2, startedAt: at(0), setBy: "test", note: "" }, at(0));
  // Process a runs Phase 2's code from minute 1; it counts its legacy reads.
  const a = {
    mode: "docker_first",
    code_version: "e94f4d8",
    legacy_reads: {
      since: at(1).toISOString(),
      sites: [
        {
          dict: "active_indexers",
          site: "/srv/indexer_orchestrator.py:238",
          count: 7,
          last_read: at(1).toISOString(),
        },
      ],
    },
  };
  await ingest("mcp-a", 1, a);
  await ingest("mcp-a", 10, a);
  // Process b starts on Phase 1's code at minute 10 (its deploy was rolled back).
  await ingest("mcp-b", 10, { mode: "dict_first", code_version: "2a67b60" });
  await ingest("mcp-a", 20, a);
  await ingest("mcp-b", 20, { mode: "dict_first", code_version: "2a67b60" });
  // Docker reads while only a ran; fallbacks once b ran beside it.
  await recordReadEvents(h.db, [...reads(2, 120, "docker"), ...reads(12, 120, "fallback")]);

  const changes = await h.db.modeChange.findMany({ orderBy: { id: "asc" } });
  expect(changes.map((c) => [c.instanceId, c.mode, c.previousMode, c.rollback])).toEqual([
    ["mcp-a", "docker_first", null, false],
    ["mcp-b", "dict_first", "docker_first", true],
  ]);

  const now = at(20);
  const report = await evaluateAt(h.db, h.cfg, "30m", now, 0);
  const p2 = report.phases[2]!;
  // Minutes 1-10 only: a alone in docker_first. 10-20 mixed (other mode); before 1 no process.
  expect(p2.mode).toEqual({
    mode: "docker_first",
    in_mode_ms: 9 * 60_000,
    other_mode_ms: 10 * 60_000,
    no_process_ms: 11 * 60_000,
  });
  const fallback = p2.criteria.find((c) => c.id === "fallback_rate")!;
  expect([fallback.status, fallback.actual]).toEqual(["met", 0]); // the 120 fallbacks ran in mixed mode
  expect(report.phases[0]!.mode).toMatchObject({ mode: "dict_first", in_mode_ms: 0 });
  expect(report.modes?.warnings).toEqual([
    "processes run mixed modes: 1 dict_first, 1 docker_first",
    "1 of 2 processes run a mode behind Phase 2's docker_first: mcp-b (dict_first)",
  ]);
  expect(report.modes?.live.map((l) => [l.instance_id, l.mode, l.code_version])).toEqual([
    ["mcp-a", "docker_first", "e94f4d8"],
    ["mcp-b", "dict_first", "2a67b60"],
  ]);
  expect(report.modes?.rollbacks).toEqual([
    { at: at(10).toISOString(), instance_id: "mcp-b", from: "docker_first", to: "dict_first" },
  ]);
  expect(report.rollback?.failing).toContain("mode_rollback");

  // Phase 4: a's counted reads name the call site.
  const legacy = report.phases[4]!.criteria.find((c) => c.id === "no_legacy_reads")!;
  expect(legacy.status).toBe("not_met");
  expect(legacy.evidence.details).toEqual([
    {
      dict: "active_indexers",
      site: "/srv/indexer_orchestrator.py:238",
      count: 7,
      last_read_at: at(1).toISOString(),
      instance: "mcp-a",
    },
  ]);

  // Stored per instance: read back after a restart of the app, and shown with the source.
  const again = new InstanceSource(h.db, h.cfg, () => now);
  await again.load();
  const api = again.sources(now).apiSources.find((s) => s.id === "active_indexers:mcp-b");
  expect([api?.mode, api?.code_version]).toEqual(["dict_first", "2a67b60"]);
});
