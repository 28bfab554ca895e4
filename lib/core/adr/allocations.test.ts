import { describe, expect, test } from "vitest";
import { allocationFindings, PORT_LEAK_MS, withAllocationFailures } from "./allocations";
import { computeDivergence } from "../divergence";
import type { Container, Source } from "../types";
import type { AllocatedPort } from "./types";

const NOW = Date.parse("2026-12-01T11:00:00Z");
const A = "a1".repeat(32);
const B = "b1".repeat(32);
const ctr = (id: string, project: string, port: number, state = "running"): Container => ({
  id,
  name: `indexer-${project}`,
  project,
  state,
  createdMs: NOW - 3600_000,
  labels: { "com.l9.managed": "true", "com.l9.project": project },
  port,
  boundPort: port,
});
const alloc = (port: number, project: string | null, ageMs = 1000): AllocatedPort => ({
  port,
  project,
  sinceMs: NOW - ageMs,
});
const proc = (name: string, holds: Record<string, string>, allocated: AllocatedPort[] | null): Source => ({
  id: `active_indexers:${name}`,
  kind: "active_indexers",
  status: "ok",
  entries: new Map(Object.entries(holds).map(([p, id]) => [p, { containerId: id.slice(0, 12), port: null }])),
  adr: { stopped: new Map(), allocated },
});
const summary = (containers: Container[], sources: Source[]) =>
  allocationFindings(containers, sources, NOW)
    .map((f) => `${f.kind}:${f.project}:${f.actual}`)
    .sort();

describe("allocation claims (CONTRACT 7c)", () => {
  test.each([
    [
      "each process allocates its own port: nothing",
      [ctr(A, "alpha", 48100), ctr(B, "beta", 48101)],
      [proc("A", { alpha: A }, [alloc(48100, "alpha")]), proc("B", { beta: B }, [alloc(48101, "beta")])],
      [],
    ],
    [
      "two live processes allocate 48100 (the branch's in-memory counter)",
      [ctr(A, "alpha", 48101), ctr(B, "beta", 48102)],
      [proc("A", { alpha: A }, [alloc(48100, "alpha")]), proc("B", { beta: B }, [alloc(48100, "beta")])],
      ["port_conflict:alpha:48100", "port_conflict:beta:48100"],
    ],
    [
      "allocated by one, bound by another project's container",
      [ctr(A, "alpha", 48100), ctr(B, "beta", 48100)],
      [proc("A", { alpha: A }, [alloc(48100, "alpha")]), proc("B", { beta: B }, null)],
      ["port_conflict:alpha:48100", "port_conflict:beta:48100"],
    ],
    [
      "not reported (a 1.1 exporter): nothing",
      [ctr(A, "alpha", 48100)],
      [proc("A", { alpha: A }, null), proc("B", {}, null)],
      [],
    ],
    [
      "kept over 5 min with nothing of its own bound: port_leak",
      [ctr(A, "alpha", 48100)],
      [proc("A", { alpha: A }, [alloc(48100, "alpha"), alloc(48101, "gamma", PORT_LEAK_MS + 1000)])],
      ["port_leak:gamma:48101"],
    ],
    [
      "kept under 5 min: not yet a leak",
      [ctr(A, "alpha", 48100)],
      [proc("A", { alpha: A }, [alloc(48101, "gamma", PORT_LEAK_MS - 1000)])],
      [],
    ],
    [
      "bound by a stopped container it holds: no leak",
      [ctr(A, "alpha", 48100, "exited")],
      [proc("A", { alpha: A }, [alloc(48100, "alpha", PORT_LEAK_MS * 3)])],
      [],
    ],
  ])("%s", (_name, containers, sources, want) => {
    expect(summary(containers, sources)).toEqual(want);
  });

  test("in the result: port_conflict makes health diverged, said once with section 2's", () => {
    const containers = [ctr(A, "alpha", 48100), ctr(B, "beta", 48100)];
    const sources = [
      proc("A", { alpha: A }, [alloc(48100, "alpha")]),
      proc("B", { beta: B }, [alloc(48100, "beta")]),
    ];
    const r = computeDivergence({ docker: { reachable: true, containers }, sources, nowMs: NOW });
    const alpha = r.projects.find((p) => p.project === "alpha")!;
    expect(alpha.health).toBe("diverged");
    expect(alpha.findings.filter((f) => f.kind === "port_conflict")).toHaveLength(1);
  });

  test("port_leak alone makes health warning", () => {
    const r = computeDivergence({
      docker: { reachable: true, containers: [ctr(A, "alpha", 48100)] },
      sources: [proc("A", { alpha: A }, [alloc(48105, "alpha", PORT_LEAK_MS * 2)])],
      nowMs: NOW,
      // Phase 1 not started: the missing labels are informational, health is the leak's alone.
      labelsRequiredSinceMs: null,
    });
    const alpha = r.projects.find((p) => p.project === "alpha")!;
    expect(alpha.findings.map((f) => f.kind)).toEqual(["labels_missing", "port_leak"]);
    expect(alpha.health).toBe("warning");
    expect(alpha.findings[1]!.message).toBe(
      "A has kept port 48105 allocated for alpha for 10 min; no container it holds or stopped is bound to it",
    );
  });
});

describe("Phase 3 no_port_conflicts counts allocation_failed events", () => {
  const met = {
    id: "no_port_conflicts",
    title: "No port conflicts",
    target: "0",
    actual: 0,
    status: "met" as const,
    evidence: { summary: "0 port_conflict findings over 1000 polls" },
  };
  test.each([
    [undefined, "met", 0],
    [0, "met", 0],
    [2, "not_met", 2],
  ] as const)("%s events: %s", (n, status, actual) => {
    const c = withAllocationFailures(met, n);
    expect([c.status, c.actual]).toEqual([status, actual]);
  });
});
