import { describe, expect, test } from "vitest";
import { countPhase2, phase2Prediction } from "./phase2";
import { container, history, T0 } from "./fixtures";
import type { FallbackReason, HostHistory } from "./types";

const c = container;

describe("Phase 2 predicted: would a Docker query by com.l9.project find a running container with a port", () => {
  test.each<[string, HostHistory, FallbackReason | null]>([
    ["one running container with a port", history(1, ["a"], [c("a1", "a")]), null],
    ["no container at all", history(1, ["a"], [c("b1", "b")]), "no_container"],
    ["a container, stopped", history(1, ["a"], [c("a1", "a", { stoppedMs: T0 - 500 })]), "not_running"],
    [
      "a container, removed before the poll",
      history(1, ["a"], [c("a1", "a", { removedMs: T0 - 1 })]),
      "no_container",
    ],
    [
      "a container first seen after the poll",
      history(1, ["a"], [c("a1", "a", { createdMs: T0 + 1, firstSeenMs: T0 + 1 })]),
      "no_container",
    ],
    [
      "created before the poll, first seen after it",
      history(1, ["a"], [c("a1", "a", { firstSeenMs: T0 + 1 })]),
      null,
    ],
    ["running but no port anywhere", history(1, ["a"], [c("a1", "a", { port: null })]), "no_port"],
    [
      "named for it but without com.l9.project",
      history(1, ["a"], [c("a1", null, { name: "indexer-a-1733" })]),
      "label_missing",
    ],
    ["two running containers", history(1, ["a"], [c("a1", "a"), c("a2", "a")]), "duplicate"],
    [
      "one running, one stopped",
      history(1, ["a"], [c("a1", "a"), c("a2", "a", { stoppedMs: T0 - 1 })]),
      null,
    ],
    [
      "Docker unreachable at the poll",
      history(1, ["a"], [c("a1", "a")], { polls: [{ atMs: T0, seq: 1, reachable: false }] }),
      "docker_unreachable",
    ],
  ])("%s", (_, h, reason) => {
    const r = countPhase2([h]);
    expect(r.lookups).toBe(1);
    expect(r.found).toBe(reason === null ? 1 : 0);
    expect([...r.fallbacks.values()].map((f) => f.reason)).toEqual(reason === null ? [] : [reason]);
  });

  test("only what a legacy source held: Docker's orphans (missing_in_source) are not lookups", () => {
    const h = history(4, ["a", "b"], [c("a1", "a"), c("b1", "b")], {
      notHeld: [{ project: "b", source: "container_registry", fromMs: T0 + 2000, toMs: null }],
    });
    expect(countPhase2([h])).toMatchObject({ lookups: 6, found: 6 });
  });

  test("a check run counts only over its own polls", () => {
    const h = history(10, [], [c("a1", "a")], {
      runs: [
        { project: "a", source: "active_indexers:mcp-1", startSeq: 3, endSeq: 5 },
        { project: "a", source: "active_indexers:*", startSeq: 1, endSeq: null },
      ],
    });
    expect(countPhase2([h])).toMatchObject({ lookups: 3, found: 3 });
  });

  test.each<[string, number, number, string, string]>([
    // 100 reads, 4 of them while Docker was down and 3 for a stopped project: 93% success.
    ["reads weigh when there are enough", 100, 7, "not_met", "not_met"],
    ["a rare fallback meets both", 100, 2, "met", "met"],
  ])("%s", (_, reads, misses, success, fallback) => {
    const h = history(1, ["a"], [c("a1", "a"), c("b1", "b", { stoppedMs: T0 })], {
      outages: [{ fromMs: T0 + 10_000, toMs: T0 + 20_000 }],
      reads: Array.from({ length: reads }, (_, i) =>
        i < misses
          ? { atMs: i % 2 ? T0 + 15_000 : T0 + 30_000, project: i % 2 ? "a" : "b" }
          : { atMs: T0 + 30_000, project: "a" },
      ),
    });
    const p = phase2Prediction([h], "all");
    const byId = Object.fromEntries(p.criteria.map((x) => [x.id, x]));
    expect(byId.docker_success_rate).toMatchObject({
      predicted: true,
      status: success,
      actual: (reads - misses) / reads,
    });
    expect(byId.fallback_rate).toMatchObject({ predicted: true, status: fallback, actual: misses / reads });
    expect(p.from_reads).toBe(reads);
    expect(p.fallback_projects?.map((f) => [f.project, f.reason]).sort()).toEqual(
      [
        ["a", "docker_unreachable"],
        ["b", "not_running"],
      ].slice(0, misses ? 2 : 0),
    );
  });

  test("without enough reads, the legacy sources' projects are the basis; too few is insufficient_data", () => {
    const few = phase2Prediction([history(10, ["a", "b"], [c("a1", "a")])], "all");
    expect(few.criteria.map((x) => x.status)).toEqual(["insufficient_data", "insufficient_data"]);
    const many = phase2Prediction([history(60, ["a", "b"], [c("a1", "a")])], "all");
    expect(many.criteria.map((x) => [x.id, x.status, x.actual])).toEqual([
      ["docker_success_rate", "not_met", 0.5],
      ["fallback_rate", "not_met", 0.5],
    ]);
    expect(many.fallback_projects).toEqual([{ project: "b", reason: "no_container", polls: 60, reads: 0 }]);
    expect(many.from_polls).toBe(60);
  });

  test("the listed fall-back projects are bounded at 50, the total says how many", () => {
    const ps = Array.from({ length: 70 }, (_, i) => `p${i}`);
    const p = phase2Prediction([history(2, ps, [])], "all");
    expect(p.fallback_projects).toHaveLength(50);
    expect(p.fallback_projects_total).toBe(70);
  });
});
