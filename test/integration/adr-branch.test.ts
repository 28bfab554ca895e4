// The ADR-0098 branch's containers on the real private daemon (CONTRACT 7d, 7e): labels as the
// branch code writes them (12-hex hash, com.l9.test by the project's name), through the
// collector and the state body it serves.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { Fleet } from "../support/fleet";
import { makeHarness, type Harness } from "../support/harness";
import { projectHash } from "../../lib/core/paths";
import type { ApiState } from "../../lib/contracts/state";
import { activeIndexersSnapshotSchema } from "../../lib/contracts/ingest";

let fleet: Fleet;
let h: Harness;
let excl: Harness;
const ids: Record<string, string> = {};
let state: ApiState;
const TEST = { "com.l9.test": "true" };

beforeAll(async () => {
  const socket = inject("dockerSocket");
  fleet = new Fleet(socket);
  h = await makeHarness({ dockerHost: `unix://${socket}`, selector: fleet.selector });
  excl = await makeHarness({
    dockerHost: `unix://${socket}`,
    selector: `${fleet.selector},com.l9.test!=true`,
  });
  // What the branch code writes: sha256(path)[:12].
  ids.alpha = await fleet.run({
    project: "alpha",
    port: 48101,
    phase1: true,
    labels: { "com.l9.project_hash": projectHash("/home/dev/alpha").slice(0, 12) },
  });
  ids.widget = await fleet.run({ project: "test-widget", port: 48102, phase1: true, labels: TEST });
  ids.contest = await fleet.run({ project: "contest-app", port: 48103, phase1: true });
  ids.contestTest = await fleet.run({ project: "contest-app", port: 48104, phase1: true, labels: TEST });
  state = await h.collector.pollOnce();
}, 120_000);

afterAll(async () => {
  await h?.close();
  await excl?.close();
  await fleet?.cleanup();
});

test("a 12-hex hash is label_hash_truncated with the message a person acts on", () => {
  const alpha = state.projects.find((p) => p.project === "alpha");
  const f = alpha?.findings.find((x) => x.container_id === ids.alpha);
  expect(f?.kind).toBe("label_hash_truncated");
  expect(f?.message).toContain("the hash is cut to 12 characters");
  expect(f?.message).toContain("a lookup by the full hash will not find this container");
  expect(f?.expected).toBe(projectHash("/home/dev/alpha"));
});

test("test containers: no project, no check, listed apart; a project with both kinds flagged", () => {
  expect(state.projects.map((p) => p.project).sort()).toEqual(["alpha", "contest-app"]);
  const contest = state.projects.find((p) => p.project === "contest-app");
  expect(contest?.containers.map((c) => c.id)).toEqual([ids.contest]);
  expect(state.test_containers?.map((t) => [t.project, t.container_id, t.mixed])).toEqual([
    ["contest-app", ids.contestTest, true],
    ["test-widget", ids.widget, false],
  ]);
  expect(state.test_containers?.[1]?.labels["com.l9.test"]).toBe("true");
  expect(state.summary.projects).toBe(2);
});

// Found against the real branch code: the process that ran a test keeps the test project in its
// own dict and allocated_ports; that must not make a check, a finding or a rate either.
test("a test project held in a process's dict and allocations makes no check", async () => {
  const now = new Date().toISOString();
  const snap = activeIndexersSnapshotSchema.parse({
    instance_id: "mcp-tests",
    started_at: now,
    taken_at: now,
    indexers: {
      alpha: { container_id: ids.alpha, port: 48101 },
      "test-widget": { container_id: ids.widget, port: 48102 },
    },
    stopped_indexers: {},
    allocated_ports: [
      { port: 48101, project: "alpha", since: now },
      { port: 48102, project: "test-widget", since: now },
    ],
  });
  await h.collector.ingestSnapshot(snap, "push:test");
  const s = await h.collector.pollOnce();
  expect(s.projects.map((p) => p.project).sort()).toEqual(["alpha", "contest-app"]);
  const checks = s.projects.flatMap((p) => p.checks.map((c) => [p.project, c.source]));
  expect(checks).toContainEqual(["alpha", "active_indexers:mcp-tests"]);
  expect(checks.some(([p]) => p === "test-widget")).toBe(false);
  expect(s.projects.flatMap((p) => p.findings).filter((f) => f.kind === "port_conflict")).toEqual([]);
});

test("L9_LABEL_SELECTOR ...,com.l9.test!=true drops them entirely", async () => {
  const s = await excl.collector.pollOnce();
  expect(s.test_containers).toEqual([]);
  expect(s.projects.map((p) => p.project).sort()).toEqual(["alpha", "contest-app"]);
});

test("two processes, one crashes with a stopped indexer: leaked_container, then crash recovery cannot be met", async () => {
  const socket = inject("dockerSocket");
  const crash = await makeHarness({
    dockerHost: `unix://${socket}`,
    selector: fleet.selector,
    env: { L9_INSTANCE_STALE_MS: "1000" },
  });
  try {
    const beta = await fleet.run({ project: "beta", port: 48100, phase1: true, start: false });
    const t = () => new Date().toISOString();
    const snap = (id: string, indexers: Record<string, unknown>, stopped: Record<string, unknown>) => ({
      instance_id: id,
      started_at: "2026-12-01T10:00:00Z",
      taken_at: t(),
      indexers,
      stopped_indexers: stopped,
      allocated_ports: [],
    });
    const { activeIndexersSnapshotSchema } = await import("../../lib/contracts/ingest");
    const push = (b: unknown) =>
      crash.collector.ingestSnapshot(activeIndexersSnapshotSchema.parse(b), "push:t");
    await push(snap("mcp-a", { alpha: { container_id: ids.alpha, port: 48101 } }, {}));
    await push(snap("mcp-b", {}, { beta: { container_id: beta, stop_time: t(), port: 48100 } }));
    let s = await crash.collector.pollOnce();
    expect(s.projects.find((p) => p.project === "beta")?.findings.map((f) => f.kind)).toEqual([]);
    // B crashes (nothing more from it); A keeps answering.
    await new Promise((r) => setTimeout(r, 1200));
    await push(snap("mcp-a", { alpha: { container_id: ids.alpha, port: 48101 } }, {}));
    s = await crash.collector.pollOnce();
    const f = s.projects
      .find((p) => p.project === "beta")
      ?.findings.find((x) => x.kind === "leaked_container");
    expect(f?.container_id).toBe(beta);
    expect(f?.source).toBe("active_indexers:mcp-b");
    expect(f?.message).toMatch(
      /^no process holds this container \(.{12}, created for \d+ s\): it leaked when mcp-b stopped answering at \d\d:\d\d UTC$/,
    );
    expect(s.projects.find((p) => p.project === "beta")?.health).toBe("warning");
    const { gatherPhaseInputs } = await import("../../lib/store/phases");
    const inp = await gatherPhaseInputs(
      crash.db,
      crash.cfg,
      "7d",
      new Date(),
      [null, null, null, null, null],
      0,
    );
    expect(inp.crashLeaked).toEqual([
      { project: "beta", container_id: beta, source: "active_indexers:mcp-b" },
    ]);
  } finally {
    await crash.close();
  }
});
