import { describe, expect, test } from "vitest";
import { dockerStatus } from "./cells";

const running = [{ id: "a" }];
describe("Docker's cell status", () => {
  test.each([
    ["no container", [], [], "absent"],
    ["no finding", running, [], "consistent"],
    ["a divergence of its own", running, [{ kind: "port_conflict" }], "diverged"],
    [
      "a source's finding is not Docker's",
      running,
      [{ kind: "missing_in_source", source: "r" }],
      "consistent",
    ],
    ["a label finding in force", running, [{ kind: "labels_missing" }], "warning"],
    [
      "an informational label finding colours nothing",
      running,
      [{ kind: "labels_missing", informational: true }],
      "consistent",
    ],
  ] as const)("%s -> %s", (_name, containers, findings, want) => {
    expect(dockerStatus({ containers, findings })).toBe(want);
  });
});
