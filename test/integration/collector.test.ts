// The collector against a real daemon, a real registry file and real SQLite: a fleet built by
// hand with every finding kind, asserted finding by finding through the state body.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { Fleet } from "../support/fleet";
import { kinds, makeHarness, type Harness } from "../support/harness";
import type { ApiState } from "../../lib/contracts/state";
import { getProjectCheckCounts, getProjectEpisodes } from "../../lib/store/history";
import { getWindowFigures } from "../../lib/store/window-figures";
import { setPhase } from "../../lib/store/phases";

let fleet: Fleet;
let h: Harness;
const ids: Record<string, string> = {};
let state: ApiState;

const project = (name: string) => state.projects.find((p) => p.project === name);
const check = (name: string, source: string) => project(name)?.checks.find((c) => c.source === source);
const INST = "active_indexers:mcp-it";

beforeAll(async () => {
  const socket = inject("dockerSocket");
  fleet = new Fleet(socket);
  h = await makeHarness({ dockerHost: `unix://${socket}`, selector: fleet.selector });
  // Phase 1 is in force (started before these containers): label findings weigh on health
  // (CONTRACT 6e; without a recorded start they are informational, see phases.test.ts).
  const now = new Date();
  await setPhase(
    h.db,
    { phase: 1, startedAt: new Date(now.getTime() - 3600_000), setBy: "t", note: "" },
    now,
  );
  await h.collector.refreshPhases();
  ids.alpha = await fleet.run({ project: "alpha", port: 48101, phase1: true });
  ids.beta = await fleet.run({ project: "beta", port: 48102, phase1: true, start: false });
  ids.delta = await fleet.run({ project: "delta", port: 48104, phase1: true });
  ids.eps = await fleet.run({ project: "eps", port: 48105, phase1: true });
  ids.zeta = await fleet.run({ project: "zeta", port: 48106, phase1: true });
  ids.eta1 = await fleet.run({ project: "eta", port: 48107, phase1: true });
  ids.eta2 = await fleet.run({ project: "eta", port: 48107, phase1: true });
  ids.theta = await fleet.run({ project: "theta", port: 48109 });
  ids.iota = await fleet.run({
    project: "iota",
    port: 48110,
    phase1: true,
    labels: { "com.l9.project_hash": "0".repeat(64) },
  });
  ids.kappa = await fleet.run({
    project: "kappa",
    port: 48112,
    phase1: true,
    labels: { "com.l9.port": "48111" },
  });
  ids.mu = await fleet.run({ project: "mu", port: 48113, phase1: true });
  ids.unlabelled = await fleet.run({ project: null, port: 48199 });
  h.writeRegistry({
    alpha: 48101,
    beta: "48102",
    gamma: 48103,
    eps: 48166,
    zeta: 48106,
    eta: 48107,
    theta: 48109,
    iota: 48110,
    kappa: "48111",
    mu: 48113,
    nu: 48113,
  });
  await h.collector.ingestSnapshot(
    {
      instance_id: "mcp-it",
      started_at: new Date("2025-09-24T09:58:00Z"),
      taken_at: new Date(),
      indexers: {
        alpha: { container_id: ids.alpha!.slice(0, 12), port: 48101 },
        delta: { container_id: ids.delta!, port: 48104 },
        eps: { container_id: ids.eps!.slice(0, 12), port: 48105 },
        zeta: { container_id: "0123456789ab", port: 48106 },
        eta: { container_id: ids.eta1!.slice(0, 12), port: 48107 },
        theta: { container_id: ids.theta!.slice(0, 20), port: 48109 },
        iota: { container_id: ids.iota!.slice(0, 12), port: null },
        kappa: { container_id: ids.kappa!.slice(0, 12) },
        mu: { container_id: ids.mu!.slice(0, 12), port: 48113 },
      },
    },
    "push",
  );
  state = await h.collector.pollOnce();
});

afterAll(async () => {
  await h?.close();
  await fleet?.cleanup();
});

describe("a fleet with every finding kind", () => {
  test.each([
    ["alpha", [], "consistent"],
    ["beta", ["not_running"], "diverged"],
    ["gamma", ["missing_in_docker"], "diverged"],
    ["delta", ["missing_in_source"], "diverged"],
    ["eps", ["port_mismatch"], "diverged"],
    ["zeta", ["container_id_mismatch"], "diverged"],
    ["eta", ["duplicate_containers"], "diverged"],
    ["theta", ["labels_missing"], "warning"],
    ["iota", ["label_hash_invalid"], "warning"],
    ["kappa", ["label_port_mismatch"], "warning"],
    ["mu", ["port_conflict"], "diverged"],
    ["nu", ["missing_in_docker", "port_conflict"], "diverged"],
  ])("%s: %j, %s", (name, expected, health) => {
    expect(kinds(project(name)?.findings ?? [])).toEqual(expected);
    expect(project(name)?.health).toBe(health);
  });

  test("each finding sits on the right check", () => {
    expect(check("beta", "container_registry")?.findings.map((f) => f.kind)).toEqual(["not_running"]);
    expect(check("beta", INST)).toBeUndefined();
    expect(check("delta", "container_registry")?.status).toBe("diverged");
    expect(check("delta", INST)?.status).toBe("consistent");
    expect(check("eps", "container_registry")?.findings[0]).toMatchObject({
      kind: "port_mismatch",
      expected: 48105,
      actual: 48166,
      container_id: ids.eps,
    });
    expect(check("eps", INST)?.status).toBe("consistent");
    expect(check("zeta", INST)?.findings[0]).toMatchObject({
      kind: "container_id_mismatch",
      actual: "0123456789ab",
    });
    expect(check("zeta", "container_registry")?.status).toBe("consistent");
  });

  test("summary counts checks over the registry and the instance", () => {
    expect(state.summary).toMatchObject({ checks: 21, diverged: 6, divergence_rate: 0.2857, projects: 12 });
    expect(state.summary.health).toEqual({ consistent: 1, warning: 3, diverged: 8, unknown: 0 });
  });

  test("ports: label first, else the bound port from inspect (no published port with --network none)", () => {
    const kappa = project("kappa")?.containers[0];
    expect(kappa).toMatchObject({ port: 48111, bound_port: 48112, state: "running" });
    expect(project("alpha")?.containers[0]).toMatchObject({ id: ids.alpha, port: 48101 });
    expect(project("theta")?.containers[0]?.port).toBe(48109);
  });

  test("containers without com.l9.project are set aside, not checked", () => {
    expect(state.unassigned_containers.map((c) => c.id)).toEqual([ids.unlabelled]);
  });

  test("sources carry their status", () => {
    expect(state.sources.map((s) => [s.id, s.status])).toEqual([
      ["container_registry", "ok"],
      [INST, "ok"],
    ]);
  });

  test("episodes open and close as findings appear and disappear; check runs count polls", async () => {
    const t0 = new Date(Date.now() - 60_000);
    await fleet.docker.getContainer(ids.beta!).start();
    const s2 = await h.collector.pollOnce();
    // Running now: the registry agrees, and the instance (which never had beta) has an orphan.
    const beta = s2.projects.find((p) => p.project === "beta");
    expect(beta?.checks.map((c) => [c.source, c.status])).toEqual([
      ["container_registry", "consistent"],
      [INST, "diverged"],
    ]);
    const episodes = await getProjectEpisodes(h.db, "beta", t0, new Date(), new Date());
    expect(episodes.map((e) => [e.kind, e.source, e.closed_at !== null])).toEqual([
      ["not_running", "container_registry", true],
      ["missing_in_source", INST, false],
    ]);
    const counts = await getProjectCheckCounts(h.db, "beta", t0, new Date());
    expect(counts).toEqual({ checks: 3, diverged: 2 });
    const gamma = await getProjectCheckCounts(h.db, "gamma", t0, new Date());
    expect(gamma).toEqual({ checks: 2, diverged: 2 });
    const w = await getWindowFigures(h.db, t0, new Date());
    expect(w).toMatchObject({
      polls: 2,
      reachablePolls: 2,
      checks: 21 + s2.summary.checks,
      diverged: 6 + s2.summary.diverged,
    });
  });
});
