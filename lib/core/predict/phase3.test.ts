import { describe, expect, test } from "vitest";
import { countPhase3, phase3Prediction } from "./phase3";
import { container, history, T0 } from "./fixtures";
import type { HistContainer } from "./types";

const c = container;
const noPortLabel = (id: string, project: string, over: Partial<HistContainer> = {}) => {
  const x = c(id, project, over);
  const { "com.l9.port": _, ...labels } = x.labels;
  return { ...x, labels };
};
const truncated = (id: string, project: string) => {
  const x = c(id, project);
  return {
    ...x,
    labels: { ...x.labels, "com.l9.project_hash": x.labels["com.l9.project_hash"]!.slice(0, 12) },
  };
};

describe("Phase 3 predicted: a dict rebuilt from the running containers' labels", () => {
  test.each<[string, HistContainer[], Record<string, number>]>([
    [
      "every label right: nothing diverges",
      [
        c("a1", "a"),
        c("b1", "b", { port: 48101, labels: { ...c("b1", "b").labels, "com.l9.port": "48101" } }),
      ],
      { diverged: 0, lost: 0, wrong: 0, hash: 0, conflicts: 0 },
    ],
    [
      "no com.l9.port: the rebuild loses the port",
      [noPortLabel("a1", "a")],
      { diverged: 1, lost: 1, wrong: 0, hash: 0, conflicts: 0 },
    ],
    [
      "com.l9.port is not the bound port",
      [c("a1", "a", { labelIssues: ["label_port_mismatch"] })],
      { diverged: 1, lost: 0, wrong: 1, hash: 0, conflicts: 0 },
    ],
    [
      "a 12-hex hash: a full-hash lookup misses it (CONTRACT 7d)",
      [truncated("a1", "a")],
      { diverged: 0, lost: 0, wrong: 0, hash: 1, conflicts: 0 },
    ],
    [
      "no hash labels at all",
      [{ ...c("a1", "a"), labels: { "com.l9.project": "a", "com.l9.port": "48100" } }],
      { diverged: 0, lost: 0, wrong: 0, hash: 1, conflicts: 0 },
    ],
    [
      "two projects' labels claim one port",
      [c("a1", "a"), c("b1", "b")],
      { diverged: 0, lost: 0, wrong: 0, hash: 0, conflicts: 1 },
    ],
    [
      "a stopped container is not rebuilt",
      [c("a1", "a"), c("b1", "b", { stoppedMs: T0 - 1 })],
      { diverged: 0, lost: 0, wrong: 0, hash: 0, conflicts: 0 },
    ],
  ])("%s", (_, cs, want) => {
    const r = countPhase3([history(1, [], cs)]);
    expect({
      diverged: r.diverged,
      lost: r.portsLost.size,
      wrong: r.labelPortWrong.size,
      hash: r.hashUnfound.size,
      conflicts: r.conflicts,
    }).toEqual(want);
  });

  test("against the legacy sources: entries it would drop and add", () => {
    const r = countPhase3([
      history(
        3,
        ["a", "gone"],
        [
          c("a1", "a"),
          c("n1", "new", { port: 48102, labels: { ...c("n1", "new").labels, "com.l9.port": "48102" } }),
        ],
      ),
    ]);
    expect(r).toMatchObject({ polls: 3, checks: 6, legacyDropped: 3, rebuiltNew: 3 });
  });

  test("unreachable polls are left out", () => {
    const h = history(2, [], [noPortLabel("a1", "a")]);
    h.polls[1]!.reachable = false;
    expect(countPhase3([h])).toMatchObject({ polls: 1, checks: 1, diverged: 1 });
  });

  test("criteria have the measured shape, marked predicted; zero divergence needs 100 checks", () => {
    const few = phase3Prediction([history(10, ["a"], [c("a1", "a")])], "all");
    expect(few.criteria.map((x) => [x.id, x.status])).toEqual([
      ["zero_divergence", "insufficient_data"],
      ["no_port_conflicts", "insufficient_data"],
      ["ports_lost", "met"],
      ["label_port_agrees", "met"],
      ["hash_lookup", "met"],
    ]);
    const many = phase3Prediction([history(120, ["a"], [noPortLabel("a1", "a")])], "all");
    expect(many.from_polls).toBe(120);
    for (const x of many.criteria) expect(x.predicted).toBe(true);
    expect(many.criteria.map((x) => [x.id, x.status, x.actual])).toEqual([
      ["zero_divergence", "not_met", 120],
      ["no_port_conflicts", "met", 0],
      ["ports_lost", "not_met", 1],
      ["label_port_agrees", "met", 0],
      ["hash_lookup", "met", 0],
    ]);
    expect(many.criteria[0]!.evidence.summary).toMatch(/^predicted: 120 of 120 checks diverged/);
  });
});
