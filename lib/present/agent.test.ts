import { describe, expect, test } from "vitest";
import { liveState, type FleetHost } from "./agent";
import type { ApiState } from "../contracts/state";

const hostState = (project: string, source: string): ApiState => ({
  polled_at: "2025-01-01T00:00:00.000Z",
  poll_id: 7,
  simulated: false,
  docker: { reachable: true, endpoint: "unix:///x", latency_ms: 2, error: null, last_ok_at: null },
  sources: [{ id: source, kind: "registry_file", status: "ok" }],
  summary: {
    checks: 1,
    diverged: 0,
    divergence_rate: 0,
    diverged_acknowledged: 0,
    divergence_rate_acknowledged: 0,
    acknowledgements_in_force: 0,
    projects: 1,
    health: { consistent: 1, warning: 0, diverged: 0, unknown: 0 },
  },
  projects: [
    {
      project,
      health: "consistent",
      docker_status: "absent",
      containers: [],
      checks: [{ source, status: "consistent", findings: [] }],
      findings: [],
      sources: {},
    },
  ],
  unassigned_containers: [],
  collector: { poll_interval_ms: 5000, duration_ms: 3 },
});

const hosts: FleetHost[] = [
  { name: "bo", state: hostState("alpha", "container_registry"), stale: false },
  { name: "ana", state: hostState("alpha", "container_registry"), stale: false },
];

describe("the live view's state: one machine is a fleet of one host", () => {
  test("one machine: its own state as its collector built it, with the role", () => {
    const own = hostState("alpha", "container_registry");
    expect(liveState("standalone", [{ name: "", state: own, stale: false }], [], 5000, null)).toEqual({
      ...own,
      collector: { ...own.collector, stale_at: "2025-01-01T00:00:18.000Z" },
      role: "standalone",
      hosts: [],
    });
  });

  test("a server: the host is a field of each project and source, never part of its id", () => {
    const s = liveState("server", hosts, [], 5000, 3);
    expect(s.role).toBe("server");
    expect(s.hosts).toEqual(["ana", "bo"]);
    expect(s.sources.map((x) => [x.host, x.id])).toEqual([
      ["ana", "container_registry"],
      ["bo", "container_registry"],
    ]);
    expect(s.projects.map((p) => p.host)).toEqual(["ana", "bo"]);
  });

  test("the host filter is applied here, on the server: the hosts stay listed", () => {
    const s = liveState("server", hosts, ["bo"], 5000, 3);
    expect(s.projects.map((p) => `${p.host}/${p.project}`)).toEqual(["bo/alpha"]);
    expect(s.summary.checks).toBe(1);
    expect(s.hosts).toEqual(["ana", "bo"]);
  });
});
