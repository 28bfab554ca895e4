import { describe, expect, test } from "vitest";
import { ackFor, acknowledgedDiverged, globToRegExp, type Ack } from "./acks";

const NOW = Date.parse("2026-11-27T12:00:00Z");
const ack = (over: Partial<Ack> = {}): Ack => ({
  id: 1,
  project: "alpha",
  source: null,
  kind: null,
  value: null,
  reason: "kept out of Docker on purpose",
  owner: "ana",
  createdAt: "2026-11-27T00:00:00Z",
  expiresAt: "2026-11-28T00:00:00Z",
  endedAt: null,
  ...over,
});
const f = { kind: "missing_in_source", source: "container_registry", expected: null, actual: "abc" };

describe("matching", () => {
  test.each([
    ["exact project", ack(), "alpha", true],
    ["another project", ack(), "beta", false],
    ["glob *", ack({ project: "proj-*" }), "proj-a", true],
    ["glob ? is one character", ack({ project: "proj-?" }), "proj-ab", false],
    ["glob special characters are literal", ack({ project: "a.b" }), "axb", false],
    ["the source", ack({ source: "container_registry" }), "alpha", true],
    ["another source", ack({ source: "active_indexers:m1" }), "alpha", false],
    ["the kind", ack({ kind: "missing_in_source" }), "alpha", true],
    ["another kind", ack({ kind: "port_mismatch" }), "alpha", false],
    ["a value", ack({ value: "abc" }), "alpha", true],
    ["another value", ack({ value: "xyz" }), "alpha", false],
    ["expired", ack({ expiresAt: "2026-11-27T11:59:59Z" }), "alpha", false],
    ["ended", ack({ endedAt: "2026-11-27T11:00:00Z" }), "alpha", false],
  ])("%s", (_n, a, project, hit) => {
    expect(ackFor([a], project, f, NOW) !== null).toBe(hit);
  });

  test("a glob is anchored", () => {
    expect(globToRegExp("alpha").test("alpha-2")).toBe(false);
  });
});

describe("the rate without acknowledged findings", () => {
  const check = (findings: (typeof f)[]) => ({
    status: findings.length ? "diverged" : "consistent",
    findings,
  });
  test.each([
    ["every finding acknowledged", [check([f])], 1],
    ["one finding of two acknowledged: still diverged", [check([f, { ...f, kind: "port_mismatch" }])], 0],
    ["a consistent check", [check([])], 0],
  ])("%s", (_n, checks, n) => {
    expect(
      acknowledgedDiverged([{ project: "alpha", checks }], [ack({ kind: "missing_in_source" })], NOW),
    ).toBe(n);
  });
});
