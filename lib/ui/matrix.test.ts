import { describe, expect, test } from "vitest";
import {
  columnLabel,
  filterRows,
  matrixColumns,
  matrixRows,
  sortRows,
  stateHosts,
  testContainersNote,
} from "./matrix";
import type { ApiState } from "../contracts/state";

const c = (id: string, port: number, state = "running") => ({
  id: id.repeat(64 / id.length),
  name: "n",
  state,
  port,
  bound_port: port,
  created: "2025-01-01T00:00:00Z",
  labels: {},
});

const state = {
  polled_at: "2025-01-01T00:00:00Z",
  poll_id: 1,
  simulated: false,
  docker: { reachable: true, endpoint: "unix:///x", latency_ms: 1, error: null, last_ok_at: null },
  sources: [
    { id: "container_registry", kind: "registry_file", status: "ok" },
    { id: "active_indexers:a", kind: "active_indexers", status: "stale" },
  ],
  summary: {
    checks: 2,
    diverged: 1,
    divergence_rate: 0.5,
    diverged_acknowledged: 0,
    divergence_rate_acknowledged: 0.5,
    acknowledgements_in_force: 0,
    projects: 2,
    health: { consistent: 1, warning: 0, diverged: 1, unknown: 0 },
  },
  projects: [
    {
      project: "beta",
      health: "diverged",
      docker_status: "consistent",
      containers: [c("b", 2)],
      checks: [
        {
          source: "container_registry",
          status: "diverged",
          findings: [
            {
              kind: "port_mismatch",
              source: "container_registry",
              message: "m",
              opened_at: "2024-12-31T23:00:00Z",
            },
          ],
        },
      ],
      findings: [
        {
          kind: "port_mismatch",
          source: "container_registry",
          message: "m",
          opened_at: "2024-12-31T23:00:00Z",
        },
      ],
      sources: { container_registry: { container_id: null, port: 3 } },
    },
    {
      project: "alpha",
      health: "consistent",
      docker_status: "consistent",
      containers: [c("a", 1)],
      checks: [{ source: "container_registry", status: "consistent", findings: [] }],
      findings: [],
      sources: { container_registry: { container_id: null, port: 1 } },
    },
  ],
  unassigned_containers: [],
  collector: { poll_interval_ms: 5000, duration_ms: 3 },
} as ApiState;

const none = { health: "" as const, kind: "" as const, source: "", labels: false, q: "" };

describe("health matrix", () => {
  test("columns: Docker, the registry, then instances (a stale one kept, marked)", () => {
    expect(matrixColumns(state)).toEqual(["docker", "container_registry", "active_indexers:a"]);
  });

  test("cells hold each place's values and the check's finding kinds", () => {
    const [beta] = matrixRows(state);
    expect(beta?.cells.map((x) => [x.source, x.value, x.status, x.kinds])).toEqual([
      ["docker", "bbbbbbbbbbbb :2", "consistent", []],
      ["container_registry", ":3", "diverged", ["port_mismatch"]],
      ["active_indexers:a", "stale", "absent", []],
    ]);
    expect(beta?.since).toBe("2024-12-31T23:00:00Z");
  });

  test.each([
    [{ ...none, health: "diverged" as const }, ["beta"]],
    [{ ...none, kind: "port_mismatch" as const }, ["beta"]],
    [{ ...none, source: "container_registry" }, ["beta"]],
    [{ ...none, labels: true }, []],
    [{ ...none, q: "alp" }, ["alpha"]],
    [{ ...none, q: ":3" }, ["beta"]],
    [none, ["beta", "alpha"]],
  ])("filter %o", (filters, want) => {
    expect(filterRows(matrixRows(state), filters).map((r) => r.project)).toEqual(want);
  });

  test.each([
    [{ key: "project" as const, dir: "asc" as const }, ["alpha", "beta"]],
    [{ key: "health" as const, dir: "asc" as const }, ["beta", "alpha"]],
    [{ key: "health" as const, dir: "desc" as const }, ["alpha", "beta"]],
    [{ key: "findings" as const, dir: "desc" as const }, ["beta", "alpha"]],
  ])("sort %o", (sort, want) => {
    expect(sortRows(matrixRows(state), sort).map((r) => r.project)).toEqual(want);
  });
});

describe("informational label findings (CONTRACT 6e)", () => {
  test("they are listed but leave the Docker cell consistent", async () => {
    const { matrixRows } = await import("./matrix");
    const { dockerStatus } = await import("../core/cells");
    const finding = (informational: boolean) => ({
      kind: "labels_missing" as const,
      message: "lacks labels",
      container_id: "a".repeat(64),
      ...(informational ? { informational: true as const } : {}),
    });
    const state = (informational: boolean) =>
      ({
        polled_at: null,
        poll_id: null,
        simulated: false,
        docker: { reachable: true, endpoint: "", latency_ms: 1, error: null, last_ok_at: null },
        sources: [],
        summary: { checks: 0, diverged: 0, divergence_rate: 0, projects: 1, health: {} },
        projects: [
          {
            project: "alpha",
            health: informational ? "consistent" : "warning",
            containers: [
              {
                id: "a".repeat(64),
                name: "x",
                state: "running",
                port: null,
                bound_port: null,
                created: "",
                labels: {},
              },
            ],
            checks: [],
            findings: [finding(informational)],
            sources: {},
          },
        ].map((p) => ({ ...p, docker_status: dockerStatus(p) })),
        unassigned_containers: [],
        collector: { poll_interval_ms: 5000, duration_ms: null },
      }) as unknown as Parameters<typeof matrixRows>[0];
    expect(matrixRows(state(true))[0]!.cells[0]).toMatchObject({
      status: "consistent",
      kinds: ["labels_missing"],
    });
    expect(matrixRows(state(false))[0]!.cells[0]).toMatchObject({ status: "warning" });
  });
});

describe("how long a project has been diverged", () => {
  test("counts from the divergence, not from an older label warning", async () => {
    const { matrixRows } = await import("./matrix");
    const state = {
      polled_at: null,
      poll_id: null,
      simulated: false,
      docker: { reachable: true, endpoint: "", latency_ms: 1, error: null, last_ok_at: null },
      sources: [],
      summary: {},
      projects: [
        {
          project: "alpha",
          health: "diverged",
          containers: [],
          checks: [],
          findings: [
            { kind: "labels_missing", message: "m", opened_at: "2026-11-27T09:00:00.000Z" },
            { kind: "missing_in_source", message: "m", source: "r", opened_at: "2026-11-27T09:09:00.000Z" },
          ],
          sources: {},
        },
      ],
      unassigned_containers: [],
      collector: { poll_interval_ms: 5000, duration_ms: null },
    } as unknown as Parameters<typeof matrixRows>[0];
    expect(matrixRows(state)[0]!.since).toBe("2026-11-27T09:09:00.000Z");
  });
});

describe("finding kinds in words", () => {
  test("every kind has a label, a meaning and a next step", async () => {
    const { KIND_HELP } = await import("./kinds");
    const { FINDING_KINDS } = await import("../core/types");
    for (const k of FINDING_KINDS) {
      expect(KIND_HELP[k].label.length).toBeGreaterThan(3);
      expect(KIND_HELP[k].means.length).toBeGreaterThan(10);
      expect(KIND_HELP[k].next.length).toBeGreaterThan(10);
    }
  });
});

describe("stable columns", () => {
  test("Docker, the registry, then instances by start time; a stale one stays, marked", async () => {
    const { matrixColumns, matrixRows } = await import("./matrix");
    const s = {
      sources: [
        {
          id: "active_indexers:zz",
          kind: "active_indexers",
          status: "ok",
          started_at: "2026-11-27T09:00:00Z",
        },
        {
          id: "active_indexers:aa",
          kind: "active_indexers",
          status: "ok",
          started_at: "2026-11-27T10:00:00Z",
        },
        {
          id: "active_indexers:mm",
          kind: "active_indexers",
          status: "stale",
          started_at: "2026-11-27T08:00:00Z",
        },
        {
          id: "active_indexers:ee",
          kind: "active_indexers",
          status: "ended",
          started_at: "2026-11-27T07:00:00Z",
        },
        { id: "container_registry", kind: "registry_file", status: "ok" },
      ],
      projects: [
        { project: "p", health: "consistent", containers: [], checks: [], findings: [], sources: {} },
      ],
    } as unknown as Parameters<typeof matrixColumns>[0];
    expect(matrixColumns(s)).toEqual([
      "docker",
      "container_registry",
      "active_indexers:mm",
      "active_indexers:zz",
      "active_indexers:aa",
    ]);
    expect(matrixRows(s)[0]!.cells.find((c) => c.source === "active_indexers:mm")?.value).toBe("stale");
  });
});

describe("a server's matrix (many hosts)", () => {
  const project = (
    host: string,
    name: string,
    health: "consistent" | "diverged",
    src: string,
    port: number,
  ) => ({
    project: name,
    host,
    health,
    docker_status: "consistent",
    containers: [c(host === "ana" ? "a" : "b", 48101)],
    checks: [{ source: src, status: health, findings: [] }],
    findings: [],
    sources: { [src]: { container_id: null, port } },
  });
  const fleet = {
    ...state,
    role: "server",
    hosts: ["ana", "bo"],
    sources: [
      { id: "container_registry", host: "ana", kind: "registry_file", status: "ok" },
      {
        id: "active_indexers:x",
        host: "ana",
        kind: "active_indexers",
        status: "ok",
        started_at: "2025-01-01T00:00:00Z",
      },
      { id: "container_registry", host: "bo", kind: "registry_file", status: "ok" },
      {
        id: "active_indexers:old",
        host: "bo",
        kind: "active_indexers",
        status: "stale",
        started_at: "2024-12-01T00:00:00Z",
      },
      {
        id: "active_indexers:new",
        host: "bo",
        kind: "active_indexers",
        status: "ok",
        started_at: "2025-01-01T00:00:00Z",
      },
    ],
    projects: [
      project("bo", "alpha", "diverged", "container_registry", 48199),
      project("ana", "alpha", "consistent", "container_registry", 48101),
      project("bo", "zeta", "consistent", "active_indexers:new", 48102),
    ],
  } as unknown as ApiState;

  test("columns are places (registry, orchestrator 1..n), not one host's source ids", () => {
    expect(matrixColumns(fleet)).toEqual(["docker", "registry", "orchestrator 1", "orchestrator 2"]);
  });

  test("each cell shows its own host's source; rows are grouped by host and keyed by host", () => {
    const rows = sortRows(matrixRows(fleet), { key: "health", dir: "asc" });
    expect(rows.map((r) => r.key)).toEqual(["ana/alpha", "bo/alpha", "bo/zeta"]);
    const boAlpha = rows[1]!;
    expect(boAlpha.cells.find((x) => x.source === "registry")).toMatchObject({
      value: ":48199",
      status: "diverged",
    });
    // bo's second instance (by start time) holds zeta; its first, stale, is marked in the cell
    const zeta = rows[2]!;
    expect(zeta.cells.find((x) => x.source === "orchestrator 2")).toMatchObject({ value: ":48102" });
    expect(zeta.cells.find((x) => x.source === "orchestrator 1")?.value).toBe("stale");
    // ana has one instance: its second column is empty, not someone else's
    expect(rows[0]!.cells.find((x) => x.source === "orchestrator 2")).toMatchObject({
      value: "—",
      status: "absent",
    });
  });

  test("the search finds a host's rows (the host filter is the server's: lib/present/agent.test.ts)", () => {
    const rows = matrixRows(fleet);
    const none = { health: "", kind: "", source: "", labels: false, q: "" } as const;
    expect(filterRows(rows, { ...none, q: "ana" }).map((r) => r.key)).toEqual(["ana/alpha"]);
  });

  test("the host list is the state's (a state narrowed to one host still names all); none on one machine", () => {
    const narrowed = { ...fleet, projects: fleet.projects.filter((p) => p.host === "bo") };
    expect(stateHosts(narrowed)).toEqual(["ana", "bo"]);
    expect(stateHosts({ ...state, role: "standalone", hosts: [] })).toBeNull();
  });
});

describe("CONTRACT 7 on the overview", () => {
  test.each([
    ["docker", "Docker"],
    ["active_indexers:*", "no live orchestrator"],
    ["active_indexers:mcp-1", "active_indexers:mcp-1"],
    ["container_registry", "container_registry"],
  ])("column %s reads %s", (column, label) => {
    expect(columnLabel(column)).toBe(label);
  });

  const tc = (project: string | null, mixed: boolean) => ({
    project,
    container_id: "a".repeat(64),
    name: `indexer-${project}`,
    state: "running",
    labels: { "com.l9.test": "true" },
    mixed,
  });
  test.each([
    [[], null],
    [[tc("test-widget", false)], "1 test container (com.l9.test=true) left out of every check and rate"],
    [
      [tc("test-widget", false), tc("contest-app", true), tc("contest-app", true), tc(null, false)],
      "4 test containers (com.l9.test=true) left out of every check and rate; contest-app has test and real containers side by side: check the test label is meant",
    ],
  ])("test containers %#", (tests, text) => {
    const note = testContainersNote({ ...state, test_containers: tests });
    expect(note?.text ?? null).toBe(text);
  });
});

describe("in-flight cells (issue 25)", () => {
  test("an in-flight check is a warning cell that says so; its project's row is marked; a counted one is not", () => {
    const beta = state.projects[0]!;
    const flying: ApiState = {
      ...state,
      projects: [
        {
          ...beta,
          health: "consistent",
          checks: beta.checks.map((x) => ({
            ...x,
            in_flight: true as const,
            findings: x.findings.map((f) => ({ ...f, in_flight: true as const })),
          })),
        },
        state.projects[1]!,
      ],
    };
    const rows = matrixRows(flying);
    const cell = rows[0]!.cells.find((x) => x.source === "container_registry")!;
    expect(cell).toMatchObject({ status: "warning", inFlight: true, kinds: ["port_mismatch"] });
    expect(rows[0]!.inFlight).toBe(true);
    expect(rows[1]!.inFlight).toBeUndefined();
    const counted = matrixRows(state)[0]!.cells.find((x) => x.source === "container_registry")!;
    expect(counted.status).toBe("diverged");
    expect(counted.inFlight).toBeUndefined();
  });
});
