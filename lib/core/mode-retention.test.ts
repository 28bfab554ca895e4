import { describe, expect, test } from "vitest";
import { MODE_CHANGES_PER_PROCESS, modeChangesToPrune, overCap, processKey } from "./mode-retention";

const c = (id: number, host: string, instanceId: string, at: number) => ({ id, host, instanceId, at });

describe("mode changes kept with the retention", () => {
  test.each<[string, ReturnType<typeof c>[], string[], number[]]>([
    ["nothing older than the cut", [], [processKey("", "a")], []],
    ["a live process keeps its one change before the cut", [c(1, "", "a", 10)], [processKey("", "a")], []],
    [
      "a live process keeps only its last change before the cut",
      [c(1, "", "a", 10), c(2, "", "a", 20), c(3, "", "a", 30)],
      [processKey("", "a")],
      [1, 2],
    ],
    [
      "the last by time, not by id (a late delivery)",
      [c(5, "ana", "a", 30), c(6, "ana", "a", 20)],
      [processKey("ana", "a")],
      [6],
    ],
    [
      "the same instant: the higher id is the last",
      [c(7, "", "a", 30), c(8, "", "a", 30)],
      [processKey("", "a")],
      [7],
    ],
    [
      "a process not heard from since the cut loses all its older changes",
      [c(1, "", "a", 10), c(2, "", "b", 10), c(3, "", "b", 20)],
      [processKey("", "a")],
      [2, 3],
    ],
    [
      "processes are host and id: the same id on two hosts is two processes",
      [c(1, "ana", "mcp-1", 10), c(2, "bo", "mcp-1", 20), c(3, "ana", "mcp-1", 15)],
      [processKey("ana", "mcp-1"), processKey("bo", "mcp-1")],
      [1],
    ],
    [
      "heard from on another host only: this host's process goes",
      [c(1, "ana", "mcp-1", 10)],
      [processKey("bo", "mcp-1")],
      [1],
    ],
  ])("%s", (_name, older, heard, pruned) => {
    expect(modeChangesToPrune(older, new Set(heard))).toEqual(pruned);
  });

  test.each([
    [0, 0],
    [MODE_CHANGES_PER_PROCESS, 0],
    [MODE_CHANGES_PER_PROCESS + 1, 1],
    [MODE_CHANGES_PER_PROCESS + 250, 250],
  ])("%i stored changes: %i over the cap", (count, excess) => {
    expect(overCap(count)).toBe(excess);
  });
  test("a cap of its own", () => expect(overCap(5, 3)).toBe(2));
});
