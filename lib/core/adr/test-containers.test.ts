import { describe, expect, test } from "vitest";
import { splitTestContainers, TestSplitMemo, withoutExcluded } from "./test-containers";
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
