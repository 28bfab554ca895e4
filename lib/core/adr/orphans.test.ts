import { describe, expect, test } from "vitest";
import { computeDivergence, DivergenceMemo } from "../divergence";
import { UNION_SOURCE } from "./orphans";
import type { Container, Source } from "../types";

const id = (p: string) => (p.charCodeAt(0).toString(16) + "0").repeat(21).slice(0, 64).padEnd(64, "0");
const ctr = (project: string, port: number): Container => ({
  id: id(project),
  name: `indexer-${project}`,
  project,
  state: "running",
  createdMs: 1,
  labels: { "com.l9.managed": "true", "com.l9.project": project },
  port,
  boundPort: port,
});
const proc = (name: string, holds: string[], status: Source["status"] = "ok"): Source => ({
  id: `active_indexers:${name}`,
  kind: "active_indexers",
  status,
  entries: new Map(holds.map((p) => [p, { containerId: id(p).slice(0, 12), port: null }])),
});
const CONTAINERS = [ctr("alpha", 48100), ctr("beta", 48101), ctr("gamma", 48102)];

const checksOf = (sources: Source[]) => {
  const r = computeDivergence({ docker: { reachable: true, containers: CONTAINERS }, sources });
  return {
    r,
    checks: r.projects.flatMap((p) =>
      p.checks.map(
        (c) => `${p.project}@${c.source.slice(16)}:${c.findings.map((f) => f.kind).join("+") || "ok"}`,
      ),
    ),
  };
};

describe("orphans against the union of live processes (CONTRACT 7a)", () => {
  test.each([
    [
      "each process holds its own project: no orphans, checks only for what each holds",
      [proc("A", ["alpha"]), proc("B", ["beta"]), proc("C", ["gamma"])],
      ["alpha@A:ok", "beta@B:ok", "gamma@C:ok"],
    ],
    [
      "a container no live process holds: one diverged check of active_indexers:*",
      [proc("A", ["alpha"]), proc("B", ["beta"])],
      ["alpha@A:ok", "beta@B:ok", "gamma@*:missing_in_source"],
    ],
    [
      "a stale process holds nothing",
      [proc("A", ["alpha"]), proc("B", ["beta"], "stale"), proc("C", ["gamma"])],
      ["alpha@A:ok", "beta@*:missing_in_source", "gamma@C:ok"],
    ],
    [
      "an ended process holds nothing",
      [proc("A", ["alpha"]), proc("B", ["beta"], "ended"), proc("C", ["gamma"])],
      ["alpha@A:ok", "beta@*:missing_in_source", "gamma@C:ok"],
    ],
    [
      "main's shape, one process holding everything: as before",
      [proc("A", ["alpha", "beta", "gamma"])],
      ["alpha@A:ok", "beta@A:ok", "gamma@A:ok"],
    ],
    [
      "one live process: it is the union, its orphans stay its own (section 2, as before)",
      [proc("A", ["alpha"]), proc("B", ["beta"], "stale")],
      ["alpha@A:ok", "beta@A:missing_in_source", "gamma@A:missing_in_source"],
    ],
    ["no live process: no active_indexers checks (as before)", [proc("B", ["beta"], "stale")], []],
  ])("%s", (_name, sources, want) => {
    expect(checksOf(sources).checks).toEqual(want);
  });

  test("the union check is counted once in the rate and says no live orchestrator holds it", () => {
    const { r } = checksOf([proc("A", ["alpha"]), proc("B", ["beta"])]);
    expect([r.checks, r.diverged]).toEqual([3, 1]);
    const f = r.projects.find((p) => p.project === "gamma")!.findings[0]!;
    expect(f.source).toBe(UNION_SOURCE);
    expect(f.message).toContain("no live orchestrator holds gamma");
    expect(r.projects.find((p) => p.project === "gamma")!.health).toBe("diverged");
  });

  test("with a memo, a process going stale moves its project to the union check", () => {
    const memo = new DivergenceMemo();
    const input = (b: Source["status"]) => ({
      docker: { reachable: true as const, containers: CONTAINERS },
      sources: [proc("A", ["alpha"]), proc("B", ["beta"], b), proc("C", ["gamma"])],
    });
    computeDivergence(input("ok"), memo);
    const r = computeDivergence(input("stale"), memo);
    expect(r.projects.find((p) => p.project === "beta")!.checks.map((c) => c.source)).toEqual([UNION_SOURCE]);
  });
});
