// Issue 25 item 3 through the engine: a diverged check a Docker event newer than the source's
// snapshot explains is in flight (shown, not counted); a newer snapshot makes it count; the
// memo never hides a change of in-flight status.
import { describe, expect, test } from "vitest";
import { computeDivergence, DivergenceMemo } from "./divergence";
import { projectHash } from "./paths";
import type { Container, ContainerEvent, DivergenceInput, Source, SourceEntry } from "./types";

const T = 1_800_000_000_000;
const ID = (n: number) => n.toString(16).padStart(2, "0").repeat(32);
const A1 = ID(0xa1);
const A2 = ID(0xa2);

function ctr(id: string, project: string, over: Partial<Container> = {}): Container {
  const path = `/home/dev/${project}`;
  return {
    id,
    name: `indexer-${project}`,
    project,
    state: "running",
    createdMs: T - 60_000,
    labels: {
      "com.l9.managed": "true",
      "com.l9.project": project,
      "com.l9.project_hash": projectHash(path),
      "com.l9.port": "48101",
      "com.l9.project_path": path,
    },
    port: 48101,
    boundPort: 48101,
    ...over,
  };
}

const INST = "active_indexers:mcp-1";
const REG = "container_registry";
function src(
  id: string,
  takenAtMs: number | null | undefined,
  entries: Record<string, Partial<SourceEntry>>,
): Source {
  return {
    id,
    kind: id === REG ? "registry_file" : "active_indexers",
    status: "ok",
    entries: new Map(
      Object.entries(entries).map(([p, e]) => [
        p,
        { containerId: e.containerId ?? null, port: e.port ?? null },
      ]),
    ),
    ...(takenAtMs === undefined ? {} : { takenAtMs }),
  };
}
const ev = (action: ContainerEvent["action"], atMs: number): ContainerEvent => ({ action, atMs });
const events = (m: Record<string, ContainerEvent[]>) => new Map(Object.entries(m));

type Case = {
  name: string;
  containers: Container[];
  source: Source;
  events?: Map<string, ContainerEvent[]>;
  inFlight: boolean;
  health: "consistent" | "diverged";
};

const cases: Case[] = [
  {
    name: "created after the snapshot: missing_in_source in flight, project consistent",
    containers: [ctr(A1, "alpha", { createdMs: T + 500 })],
    source: src(INST, T, {}),
    events: events({ alpha: [ev("create", T + 500), ev("start", T + 600)] }),
    inFlight: true,
    health: "consistent",
  },
  {
    name: "Created time from the list alone (no ring event) explains an orphan",
    containers: [ctr(A1, "alpha", { createdMs: T + 500 })],
    source: src(INST, T, {}),
    events: events({}),
    inFlight: true,
    health: "consistent",
  },
  {
    name: "created before the snapshot: a real orphan, counted",
    containers: [ctr(A1, "alpha", { createdMs: T - 500 })],
    source: src(INST, T, {}),
    events: events({ alpha: [ev("create", T - 500)] }),
    inFlight: false,
    health: "diverged",
  },
  {
    name: "stopped after the snapshot: not_running in flight",
    containers: [ctr(A1, "alpha", { state: "exited" })],
    source: src(INST, T, { alpha: { containerId: A1.slice(0, 12), port: 48101 } }),
    events: events({ alpha: [ev("die", T + 100), ev("stop", T + 110)] }),
    inFlight: true,
    health: "consistent",
  },
  {
    name: "stopped before the snapshot: not_running counted",
    containers: [ctr(A1, "alpha", { state: "exited" })],
    source: src(INST, T, { alpha: { containerId: A1.slice(0, 12), port: 48101 } }),
    events: events({ alpha: [ev("die", T - 100)] }),
    inFlight: false,
    health: "diverged",
  },
  {
    name: "removed after the snapshot (known only from destroy): missing_in_docker in flight",
    containers: [],
    source: src(REG, T, { alpha: { port: 48101 } }),
    events: events({ alpha: [ev("die", T + 10), ev("destroy", T + 20)] }),
    inFlight: true,
    health: "consistent",
  },
  {
    name: "replaced after the snapshot: container_id_mismatch in flight",
    containers: [ctr(A2, "alpha", { createdMs: T + 50 })],
    source: src(INST, T, { alpha: { containerId: A1.slice(0, 12), port: 48101 } }),
    events: events({ alpha: [ev("destroy", T + 40), ev("create", T + 50)] }),
    inFlight: true,
    health: "consistent",
  },
  {
    name: "the event stream is down (no events): nothing in flight",
    containers: [ctr(A1, "alpha", { createdMs: T + 500 })],
    source: src(INST, T, {}),
    inFlight: false,
    health: "diverged",
  },
  {
    name: "a source without a snapshot time: never in flight",
    containers: [ctr(A1, "alpha", { createdMs: T + 500 })],
    source: src(INST, null, {}),
    events: events({ alpha: [ev("create", T + 500)] }),
    inFlight: false,
    health: "diverged",
  },
  {
    name: "an event of another project explains nothing",
    containers: [ctr(A1, "alpha", { state: "exited" })],
    source: src(INST, T, { alpha: { containerId: A1.slice(0, 12), port: 48101 } }),
    events: events({ beta: [ev("die", T + 100)] }),
    inFlight: false,
    health: "diverged",
  },
  {
    name: "one finding of the check unexplained (a port the create does not explain plus copies): counted",
    containers: [ctr(A1, "alpha", { createdMs: T - 10 })],
    source: {
      ...src(INST, T, { alpha: { containerId: A1.slice(0, 12), port: 48101 } }),
      entries: new Map([
        [
          "alpha",
          {
            containerId: A1.slice(0, 12),
            port: 48101,
            copies: [
              { holder: "a", containerId: A1.slice(0, 12), port: 48101 },
              { holder: "b", containerId: A1.slice(0, 12), port: 48102 },
            ],
          },
        ],
      ]),
    },
    events: events({ alpha: [ev("start", T + 10)] }),
    inFlight: false,
    health: "diverged",
  },
];

describe("in flight through the engine", () => {
  test.each(cases)("$name", ({ containers, source, events: e, inFlight, health }) => {
    const input: DivergenceInput = {
      docker: { reachable: true, containers },
      sources: [source],
      ...(e ? { events: e } : {}),
    };
    for (const memo of [undefined, new DivergenceMemo()]) {
      const r = computeDivergence(input, memo);
      const p = r.projects.find((x) => x.project === "alpha")!;
      const check = p.checks.find((c) => c.source === source.id)!;
      // Shown either way: the check keeps its status and findings.
      expect(check.status).toBe("diverged");
      expect(check.findings.length).toBeGreaterThan(0);
      expect(check.in_flight === true).toBe(inFlight);
      expect(check.findings.every((f) => (f.in_flight === true) === inFlight)).toBe(true);
      expect(p.health).toBe(health);
      expect(r.checks).toBe(1);
      expect(r.diverged).toBe(inFlight ? 0 : 1);
      expect(r.inFlight).toBe(inFlight ? 1 : 0);
      expect(r.divergenceRate).toBe(inFlight ? 0 : 1);
      const counted = Object.values(r.kindCounts).reduce((a, b) => a + (b ?? 0), 0);
      expect(counted > 0).toBe(!inFlight);
    }
  });

  test("it counts once the source's snapshot is taken after the event", () => {
    const containers = [ctr(A1, "alpha", { state: "exited" })];
    const e = events({ alpha: [ev("stop", T + 100)] });
    const entry = { alpha: { containerId: A1.slice(0, 12), port: 48101 } };
    const before = computeDivergence({
      docker: { reachable: true, containers },
      sources: [src(INST, T, entry)],
      events: e,
    });
    expect(before.inFlight).toBe(1);
    expect(before.diverged).toBe(0);
    const after = computeDivergence({
      docker: { reachable: true, containers },
      sources: [src(INST, T + 1000, entry)],
      events: e,
    });
    expect(after.inFlight).toBe(0);
    expect(after.diverged).toBe(1);
    expect(after.projects[0]!.health).toBe("diverged");
    expect(after.projects[0]!.checks[0]!.in_flight).toBeUndefined();
  });

  test("the memo: same containers and entries, a newer snapshot time or new events change the in-flight status", () => {
    const memo = new DivergenceMemo();
    const containers = [
      ctr(A1, "alpha", { state: "exited" }),
      ctr(A2, "beta", { port: 48102, boundPort: 48102 }),
    ];
    const entries = new Map<string, SourceEntry>([
      ["alpha", { containerId: A1.slice(0, 12), port: 48101 }],
      ["beta", { containerId: A2.slice(0, 12), port: 48102 }],
    ]);
    const source = (takenAtMs: number): Source => ({
      id: INST,
      kind: "active_indexers",
      status: "ok",
      entries,
      takenAtMs,
    });
    const none = events({});
    const stopped = events({ alpha: [ev("stop", T + 100)] });
    const run = (takenAtMs: number, e: Map<string, ContainerEvent[]>) =>
      computeDivergence(
        { docker: { reachable: true, containers }, sources: [source(takenAtMs)], events: e },
        memo,
      );

    // No events yet: counted.
    expect(run(T, none)).toMatchObject({ diverged: 1, inFlight: 0 });
    // The stop event arrives (same entries, same containers): in flight.
    const r2 = run(T, stopped);
    expect(r2).toMatchObject({ diverged: 0, inFlight: 1 });
    expect(r2.projects.find((p) => p.project === "alpha")!.health).toBe("consistent");
    // The same poll again: reused whole, still in flight.
    expect(run(T, stopped)).toBe(r2);
    // A newer snapshot with the same entries map: counted again.
    const r3 = run(T + 1000, stopped);
    expect(r3).toMatchObject({ diverged: 1, inFlight: 0 });
    expect(r3.projects.find((p) => p.project === "alpha")!.health).toBe("diverged");
    // The consistent project beta was reused across all of these (it depends on neither).
    expect(memo.hits).toBeGreaterThan(0);
    // The stream goes down: nothing in flight (even with an older snapshot).
    const r4 = computeDivergence({ docker: { reachable: true, containers }, sources: [source(T)] }, memo);
    expect(r4).toMatchObject({ diverged: 1, inFlight: 0 });
  });

  test("an open finding episode is kept while its check is in flight (history), and no new one opens", async () => {
    const { planHistory } = await import("./history");
    const containers = [ctr(A1, "alpha", { state: "exited" })];
    const entry = { alpha: { containerId: A1.slice(0, 12), port: 48101 } };
    const r = computeDivergence({
      docker: { reachable: true, containers },
      sources: [src(INST, T, entry)],
      events: events({ alpha: [ev("stop", T + 100)] }),
    });
    const memory = { last: null, episodes: new Map(), runs: new Map(), containers: new Map() };
    const plan = planHistory(memory as never, r, [src(INST, T, entry)], {
      polledAt: new Date(T + 200),
      seq: 1,
      reachable: true,
      containers,
    });
    expect(plan.openEpisodes).toEqual([]);
    expect(plan.openRuns.map((x) => x.diverged)).toEqual([false]);
  });
});
