import { describe, expect, test } from "vitest";
import { splitTestContainers, TestSplitMemo, withoutExcluded, withoutTestProjects } from "./test-containers";
import { computeDivergence } from "../divergence";
import type { Container } from "../types";

const ctr = (id: string, project: string | null, labels: Record<string, string> = {}): Container => ({
  id: id.repeat(32),
  name: `indexer-${project}`,
  project,
  state: "running",
  createdMs: 1,
  labels: { "com.l9.managed": "true", ...(project ? { "com.l9.project": project } : {}), ...labels },
  port: null,
  boundPort: null,
});
const T = { "com.l9.test": "true" };

describe("splitTestContainers (CONTRACT 7e)", () => {
  test.each([
    ["no test container", [ctr("a1", "alpha")], ["alpha"], []],
    [
      "a test project",
      [ctr("a1", "alpha"), ctr("b1", "test-widget", T)],
      ["alpha"],
      [["test-widget", false]],
    ],
    [
      "a project with both kinds is flagged",
      [ctr("a1", "contest-app"), ctr("b1", "contest-app", T)],
      ["contest-app"],
      [["contest-app", true]],
    ],
    ["com.l9.test=false is not a test", [ctr("a1", "alpha", { "com.l9.test": "false" })], ["alpha"], []],
  ])("%s", (_name, containers, managed, tests) => {
    const s = splitTestContainers(containers);
    expect(s.managed.map((c) => c.project)).toEqual(managed);
    expect(s.tests.map((t) => [t.project, t.mixed])).toEqual(tests);
  });

  test("no test container: the same list (the divergence memo compares by identity)", () => {
    const list = [ctr("a1", "alpha")];
    expect(splitTestContainers(list).managed).toBe(list);
    const memo = new TestSplitMemo();
    expect(memo.split(list)).toBe(memo.split(list));
  });

  test("a test container's project makes no check, no finding and stays out of the rate", () => {
    const s = splitTestContainers([ctr("a1", "alpha"), ctr("b1", "test-widget", T)]);
    const r = computeDivergence({
      docker: { reachable: true, containers: s.managed },
      sources: [],
    });
    expect(r.projects.map((p) => p.project)).toEqual(["alpha"]);
    expect(s.tests[0]).toMatchObject({ project: "test-widget", container_id: "b1".repeat(32), labels: T });
  });
});

describe("key!=value terms", () => {
  test.each([
    [[], 3],
    [[{ key: "com.l9.test", value: "true" }], 2],
    [[{ key: "com.l9.project", value: "alpha" }], 2],
    [
      [
        { key: "com.l9.test", value: "true" },
        { key: "com.l9.project", value: "alpha" },
      ],
      1,
    ],
  ])("exclude %o leaves %i", (exclude, n) => {
    const list = [ctr("a1", "alpha"), ctr("b1", "beta"), ctr("c1", "test-x", T)];
    expect(withoutExcluded(list, exclude)).toHaveLength(n);
  });
});

describe("withoutTestProjects: the dicts' side of a test-only project (CONTRACT 7e)", () => {
  const src = (entries: Record<string, string>, allocated: [number, string | null][] = []) => ({
    id: "active_indexers:mcp-a",
    kind: "active_indexers" as const,
    status: "ok" as const,
    entries: new Map(Object.entries(entries).map(([p, id]) => [p, { containerId: id, port: 48101 }])),
    adr: {
      stopped: new Map(),
      allocated: allocated.map(([port, project]) => ({ port, project, sinceMs: 0 })),
    },
  });
  const tests = splitTestContainers([ctr("a1", "alpha"), ctr("b1", "test-widget", T)]).tests;

  // Found against the real branch code: the process that ran a test held test-widget in its dict,
  // so test-widget read missing_in_docker (and later a false port_leak) in every rate.
  test("a dict entry and an allocation of a test-only project make no check and no finding", () => {
    const s = src({ alpha: "a1", "test-widget": "b1" }, [
      [48100, "alpha"],
      [48101, "test-widget"],
    ]);
    const [out] = withoutTestProjects([s], tests);
    expect([...out!.entries.keys()]).toEqual(["alpha"]);
    expect(out!.adr!.allocated!.map((a) => a.project)).toEqual(["alpha"]);
    const split = splitTestContainers([ctr("a1", "alpha"), ctr("b1", "test-widget", T)]);
    const r = computeDivergence({
      docker: { reachable: true, containers: split.managed },
      sources: withoutTestProjects([s], split.tests),
    });
    expect(r.projects.map((p) => p.project)).toEqual(["alpha"]);
    expect(r.diverged).toBe(0);
  });

  test.each([
    ["no test container: the same list", [], { alpha: "a1" }],
    ["a source without test projects: the same object", tests, { alpha: "a1" }],
  ] as const)("%s", (_name, t, entries) => {
    const list = [src({ ...entries })];
    expect(withoutTestProjects(list, t)).toBe(list);
  });

  test("a project with test and real containers keeps its entries", () => {
    const mixed = splitTestContainers([ctr("a1", "contest-app"), ctr("b1", "contest-app", T)]).tests;
    const list = [src({ "contest-app": "a1" })];
    expect(withoutTestProjects(list, mixed)).toBe(list);
  });
});
