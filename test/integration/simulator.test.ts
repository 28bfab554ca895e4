// Every simulator scenario, on the real daemon, asserts the findings it is meant to cause.
// The fleet's pushes go to the collector through the same schema the ingest route uses.
import { afterEach, describe, expect, inject, test } from "vitest";
import Docker from "dockerode";
import { SimFleet } from "../../lib/sim/fleet";
import type { SimOrchestrator } from "../../lib/sim/orchestrator";
import { makeRng } from "../../lib/sim/rng";
import { type Harness } from "../support/harness";
import { setupScenario } from "../support/scenario";
import type { ApiState } from "../../lib/contracts/state";

let fleet: SimFleet | null = null;
let h: Harness | null = null;

afterEach(async () => {
  await fleet?.cleanup();
  await h?.close();
  fleet = null;
  h = null;
});

async function runScenario(name: string, env: Record<string, string> = {}) {
  const r = await setupScenario(inject("dockerSocket"), name, env);
  fleet = r.fleet;
  h = r.h;
  return r;
}

async function pushAll(f: SimFleet, _harness: Harness) {
  await f.heartbeat();
}

const allKinds = (s: ApiState) =>
  [...new Set(s.projects.flatMap((p) => p.findings.map((f) => f.kind)))].sort();

describe("simulator scenarios", () => {
  test("upstream-like: one process of three dicts, clean exits, dynamic ports, a registry without ports", async () => {
    const {
      fleet: f,
      h: harness,
      scenario,
    } = await runScenario("upstream-like", { L9_INSTANCE_STALE_MS: "1000" });
    const s = await harness.collector.pollOnce();
    const inst = s.sources.filter((x) => x.kind === "active_indexers");
    // The first process exited cleanly; the second holds all six projects in one source.
    expect(inst.map((x) => x.status).sort()).toEqual(["ended", "ok"]);
    expect(inst.find((x) => x.status === "ok")).toMatchObject({
      id: `active_indexers:${f.instances[0]!.instanceId}`,
      entries: 6,
    });
    expect(s.summary.projects).toBe(scenario.projects);
    // Nothing an instance holds is an orphan for another dict, and nobody crashed.
    const instanceFindings = s.projects
      .flatMap((p) => p.checks)
      .filter((c) => c.source.startsWith("active_indexers:"));
    expect(instanceFindings.every((c) => c.status === "consistent")).toBe(true);
    await new Promise((r) => setTimeout(r, 1300));
    await harness.collector.pollOnce();
    expect(await harness.db.restart.count()).toBe(0);
    // The registry knows every project but keeps no ports: said so, not "orphan".
    const reg = s.projects.flatMap((p) => p.findings).filter((x) => x.source === "container_registry");
    expect(reg).toHaveLength(scenario.projects);
    for (const x of reg) expect(x.message).toMatch(/under "projects" but keeps no container_ports entry/);
    // Containers as the real one makes them: timestamped names, no port, only the first three labels.
    for (const p of s.projects) {
      expect(p.containers[0]?.name).toMatch(new RegExp(`^indexer-${p.project}-\\d{10}-[0-9a-f]{4}$`));
      expect(p.containers[0]?.port).toBeNull();
      expect(p.health).toBe("diverged"); // the registry's missing entries, not the labels
      expect(p.findings.filter((x) => x.kind === "labels_missing").every((x) => x.informational)).toBe(true);
    }
    // Idle clean-up stops the container and Docker removes it (auto_remove).
    const gone = f.instances[0]!.active.keys().next().value as string;
    await f.instances[0]!.idleCleanup(gone);
    await expect
      .poll(
        async () =>
          (await harness.collector.pollOnce()).projects.find((p) => p.project === gone)?.containers.length ??
          0,
      )
      .toBe(0);
  });

  test("phase0-baseline: a few per cent divergence, two instances, an entry left behind", async () => {
    const { fleet: f, h: harness } = await runScenario("phase0-baseline");
    await pushAll(f, harness);
    const s = await harness.collector.pollOnce();
    // Two live processes: theirs, plus the column of their union (CONTRACT 7a).
    expect(s.sources.filter((x) => x.kind === "active_indexers").map((x) => x.id)).toHaveLength(3);
    expect(s.sources.filter((x) => x.id === "active_indexers:*")).toHaveLength(1);
    expect(s.summary.projects).toBe(24);
    expect(s.summary.diverged).toBeGreaterThan(0);
    expect(s.summary.divergence_rate).toBeLessThan(0.05);
    // Phase 0 containers carry no Phase 1 labels: warnings, not divergence.
    expect(allKinds(s)).toEqual(["labels_missing", "missing_in_docker"]);
    const gone = s.projects.find((p) => p.findings.some((x) => x.kind === "missing_in_docker"));
    expect(gone?.containers).toEqual([]);
  });

  test("crash-and-recover: no false orphans while another live process holds them, a restart, then recovery", async () => {
    const {
      fleet: f,
      h: harness,
      scenario,
    } = await runScenario("crash-and-recover", { L9_INSTANCE_STALE_MS: "1000" });
    const reborn = f.instances[0]!.instanceId;
    let s = await harness.collector.pollOnce();
    const orphansOf = (st: typeof s, source: string) =>
      st.projects
        .flatMap((p) => p.checks)
        .filter((c) => c.source === source && c.findings[0]?.kind === "missing_in_source");
    // Two live processes (the crashed one is not stale yet and still holds them): no orphans.
    expect(orphansOf(s, "active_indexers:*")).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 1300));
    await f.heartbeat();
    s = await harness.collector.pollOnce();
    // Stale now, it holds nothing; but the other live process holds every project (it ensured
    // them all): under CONTRACT 7a none is an orphan, and the new process has no check yet.
    expect(orphansOf(s, "active_indexers:*")).toHaveLength(0);
    expect(
      s.projects.flatMap((p) => p.checks).filter((c) => c.source === `active_indexers:${reborn}`),
    ).toEqual([]);
    // The new process re-adopts its projects tick by tick (each tick heartbeats every instance).
    for (let n = 0; n < scenario.projects; n++) await scenario.tick(f, makeRng(n), n);
    s = await harness.collector.pollOnce();
    const restarts = await harness.db.restart.findMany();
    expect(restarts.map((r) => [r.instanceId, r.reason])).toEqual([[reborn, "replaced_stale"]]);
    expect(restarts[0]?.recoveredAt).not.toBeNull();
    expect(
      s.projects
        .flatMap((p) => p.checks)
        .filter((c) => c.source === `active_indexers:${reborn}` || c.source === "active_indexers:*")
        .every((c) => c.status === "consistent"),
    ).toBe(true);
  });

  test("port-reuse: the freed port is handed out again while the registry still maps it", async () => {
    const { fleet: f, h: harness } = await runScenario("port-reuse");
    await pushAll(f, harness);
    const s = await harness.collector.pollOnce();
    const conflicted = s.projects
      .filter((p) => p.findings.some((x) => x.kind === "port_conflict"))
      .map((p) => p.project);
    expect(conflicted).toEqual(["proj-a", "proj-c"]);
    expect(
      s.projects
        .find((p) => p.project === "proj-a")
        ?.findings.map((x) => x.kind)
        .sort(),
    ).toEqual(["missing_in_docker", "port_conflict"]);
  });

  test("phase1-rollout: old containers lack the labels, new ones carry valid labels", async () => {
    const { fleet: f, h: harness } = await runScenario("phase1-rollout");
    await pushAll(f, harness);
    const s = await harness.collector.pollOnce();
    const byHealth = Object.fromEntries(s.projects.map((p) => [p.project, p.findings.map((x) => x.kind)]));
    expect(byHealth).toEqual({
      "proj-a": [],
      "proj-b": [],
      "proj-c": [],
      "proj-d": ["labels_missing"],
      "proj-e": ["labels_missing"],
      "proj-f": ["labels_missing"],
    });
    const labelled = await harness.db.container.findMany({ where: { labelIssues: "[]" } });
    expect(labelled).toHaveLength(3);
  });

  test("phase2-outages: read events are served by Docker, and by the fallback during the outage", async () => {
    const { h: harness } = await runScenario("phase2-outages");
    const events = await harness.db.readEvent.findMany();
    // 40 reads per instance with Docker up, then 3 each during the outage.
    expect(events).toHaveLength(2 * 43);
    expect(events.filter((e) => e.servedBy === "fallback" && !e.dockerOk)).toHaveLength(6);
    expect(events.filter((e) => e.servedBy === "docker" && e.dockerOk)).toHaveLength(80);
  });

  test("phase3-clean: zero divergence, and still zero after a crash rebuilt from Docker", async () => {
    const { fleet: f, h: harness } = await runScenario("phase3-clean");
    await pushAll(f, harness);
    let s = await harness.collector.pollOnce();
    expect(s.summary).toMatchObject({ diverged: 0, projects: 8 });
    expect(s.summary.checks).toBe(24);
    await f.crash(1);
    await pushAll(f, harness);
    s = await harness.collector.pollOnce();
    expect(s.summary.diverged).toBe(0);
  });

  test("adr-branch: per-process dicts, stopped indexers, allocations, 12-hex hashes, a test container (CONTRACT 7)", async () => {
    // The clock moves past L9_INSTANCE_STALE_MS so the killed process goes stale without a wait.
    let skewMs = 0;
    const now = () => new Date(Date.now() + skewMs);
    const r = await setupScenario(
      inject("dockerSocket"),
      "adr-branch",
      { L9_INSTANCE_STALE_MS: "1000" },
      7,
      now,
    );
    fleet = r.fleet;
    h = r.h;
    const [p0, p2] = r.fleet.instances as [SimOrchestrator, SimOrchestrator];
    const killed = r.fleet.killed[0]!;
    const dictBefore = p2.active;
    skewMs = 5000;
    await r.fleet.heartbeat();
    await p2.rebuildFromDocker();
    // Phase 3: the dict is a new object; the sim's snapshot (like the exporter's track) follows it.
    expect(p2.active).not.toBe(dictBefore);
    const s = await r.h.collector.pollOnce();
    const src = (o: SimOrchestrator) => `active_indexers:${o.instanceId}`;
    expect(
      Object.fromEntries(s.sources.filter((x) => x.kind === "active_indexers").map((x) => [x.id, x.status])),
    ).toMatchObject({ [src(p0)]: "ok", [src(p2)]: "ok", [src(killed)]: "stale" });
    const checks = s.projects.flatMap((p) => p.checks.map((c) => ({ project: p.project, ...c })));
    // Each live process's own project is consistent, and no one's else is an orphan there (7a).
    expect(checks.filter((c) => c.source === src(p0)).map((c) => [c.project, c.status])).toEqual([
      ["proj-a", "consistent"],
    ]);
    expect(checks.filter((c) => c.source === src(p2)).map((c) => [c.project, c.status])).toEqual([
      ["proj-c", "consistent"],
    ]);
    // The killed process's running container is held by no live process: one orphan of the union.
    const orphans = checks.filter(
      (c) => c.source === "active_indexers:*" && c.findings.some((f) => f.kind === "missing_in_source"),
    );
    expect(orphans.map((c) => c.project)).toEqual(["proj-b"]);
    // The stopped container the killed process listed leaked; the one p0 lists is accounted for (7b).
    const findings = s.projects.flatMap((p) => p.findings.map((f) => ({ project: p.project, ...f })));
    const leaked = findings.filter((f) => f.kind === "leaked_container");
    expect(leaked.map((f) => [f.project, f.container_id?.slice(0, 12), f.source])).toEqual([
      ["proj-e", killed.stopped.get("proj-e")!.container_id, src(killed)],
    ]);
    expect(leaked[0]!.message).toMatch(/it leaked when mcp-[0-9a-f]{6} stopped answering/);
    // Both live processes allocated 48101 in their own memory for containers now stopped: only
    // the allocations claim it, and that is a port_conflict (7c). 48100 is bound twice as well.
    const conflicts = findings.filter((f) => f.kind === "port_conflict");
    expect(conflicts.filter((f) => f.actual === 48101).map((f) => [f.project, f.message])).toEqual([
      ["proj-d", expect.stringMatching(/^port 48101 is allocated by 2 live processes/)],
      ["proj-f", expect.stringMatching(/^port 48101 is allocated by 2 live processes/)],
    ]);
    expect(conflicts.filter((f) => f.actual === 48100).map((f) => f.project)).toEqual([
      "proj-a",
      "proj-b",
      "proj-c",
    ]);
    // The 12-hex hash is the right one cut short, not a wrong one (7d).
    for (const p of ["proj-a", "proj-b", "proj-c"])
      expect(s.projects.find((x) => x.project === p)?.findings.map((f) => f.kind)).toContain(
        "label_hash_truncated",
      );
    expect(findings.filter((f) => f.kind === "label_hash_invalid")).toEqual([]);
    // The test run's container is listed apart and makes no project, check or finding (7e).
    expect(s.test_containers?.map((t) => [t.project, t.labels["com.l9.test"]])).toEqual([
      ["test-widget", "true"],
    ]);
    expect(s.projects.map((p) => p.project)).not.toContain("test-widget");
    expect(findings.filter((f) => f.project === "test-widget")).toEqual([]);
    expect(s.summary.projects).toBe(6);
  });

  test("the guard counts managed containers the simulator did not create", async () => {
    const socket = inject("dockerSocket");
    const docker = new Docker({ socketPath: socket });
    const before = await SimFleet.foreignContainers(docker);
    const c = await docker.createContainer({
      Image: "l9-stub:latest",
      Cmd: ["/bin/sleep", "60"],
      Labels: { "com.l9.managed": "true", "com.l9.project": "real" },
      HostConfig: { NetworkMode: "none" },
    });
    try {
      expect(await SimFleet.foreignContainers(docker)).toBe(before + 1);
    } finally {
      await c.remove({ force: true });
    }
  });
});
