// Every simulator scenario, on the real daemon, asserts the findings it is meant to cause.
// The fleet's pushes go to the collector through the same schema the ingest route uses.
import { afterEach, describe, expect, inject, test } from "vitest";
import Docker from "dockerode";
import { SimFleet } from "../../lib/sim/fleet";
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
  test("phase0-baseline: a few per cent divergence, two instances, an entry left behind", async () => {
    const { fleet: f, h: harness } = await runScenario("phase0-baseline");
    await pushAll(f, harness);
    const s = await harness.collector.pollOnce();
    expect(s.sources.filter((x) => x.kind === "active_indexers")).toHaveLength(2);
    expect(s.summary.projects).toBe(24);
    expect(s.summary.diverged).toBeGreaterThan(0);
    expect(s.summary.divergence_rate).toBeLessThan(0.05);
    // Phase 0 containers carry no Phase 1 labels: warnings, not divergence.
    expect(allKinds(s)).toEqual(["labels_missing", "missing_in_docker"]);
    const gone = s.projects.find((p) => p.findings.some((x) => x.kind === "missing_in_docker"));
    expect(gone?.containers).toEqual([]);
  });

  test("crash-and-recover: orphans for the new process, a restart, then recovery", async () => {
    const {
      fleet: f,
      h: harness,
      scenario,
    } = await runScenario("crash-and-recover", { L9_INSTANCE_STALE_MS: "1000" });
    const reborn = f.instances[0]!.instanceId;
    let s = await harness.collector.pollOnce();
    const src = `active_indexers:${reborn}`;
    const orphans = s.projects
      .flatMap((p) => p.checks)
      .filter((c) => c.source === src && c.findings[0]?.kind === "missing_in_source");
    expect(orphans).toHaveLength(scenario.projects);
    await new Promise((r) => setTimeout(r, 1300));
    // The new process re-adopts its projects tick by tick (each tick heartbeats every instance).
    for (let n = 0; n < scenario.projects; n++) await scenario.tick(f, makeRng(n), n);
    s = await harness.collector.pollOnce();
    const restarts = await harness.db.restart.findMany();
    expect(restarts.map((r) => [r.instanceId, r.reason])).toEqual([[reborn, "replaced_stale"]]);
    expect(restarts[0]?.recoveredAt).not.toBeNull();
    expect(
      s.projects
        .flatMap((p) => p.checks)
        .filter((c) => c.source === src)
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
