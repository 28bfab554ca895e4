import { describe, expect, test } from "vitest";
import {
  modeChange,
  modeTime,
  withModeRollback,
  MODE_ROLLBACK_TITLE,
  modeTransition,
  modeWarnings,
  modesReported,
  type Mode,
  type ProcessModes,
} from "./modes";

const p = (
  id: string,
  liveFrom: number,
  liveTo: number,
  ...changes: [number, Mode | null][]
): ProcessModes => ({
  instanceId: id,
  liveFrom,
  liveTo,
  changes: changes.map(([at, mode]) => ({ at, mode })),
});

describe("modes", () => {
  test.each<[Mode | null, Mode | null, string]>([
    [null, "dict_first", "first"],
    ["dict_first", null, "first"],
    ["docker_first", "docker_first", "same"],
    ["dict_first", "docker_first", "advance"],
    ["docker_first", "write_through", "advance"],
    ["write_through", "docker_first", "rollback"],
    ["docker_only", "dict_first", "rollback"],
  ])("%s then %s is %s", (before, next, expected) => {
    expect(modeTransition(before, next)).toBe(expected);
  });

  test.each<
    [
      string,
      ProcessModes[],
      Mode,
      Pick<ReturnType<typeof modeTime>, "spans" | "inModeMs" | "otherModeMs" | "noProcessMs">,
    ]
  >([
    [
      "one process in the mode all along",
      [p("a", 0, 100, [0, "docker_first"])],
      "docker_first",
      { spans: [[0, 100]], inModeMs: 100, otherModeMs: 0, noProcessMs: 0 },
    ],
    [
      "a second process on the old code makes its live time other mode",
      [p("a", 0, 100, [0, "docker_first"]), p("b", 30, 60, [30, "dict_first"])],
      "docker_first",
      {
        spans: [
          [0, 30],
          [60, 100],
        ],
        inModeMs: 70,
        otherModeMs: 30,
        noProcessMs: 0,
      },
    ],
    [
      "a process switching mode mid-window",
      [p("a", 0, 100, [0, "dict_first"], [40, "docker_first"])],
      "docker_first",
      { spans: [[40, 100]], inModeMs: 60, otherModeMs: 40, noProcessMs: 0 },
    ],
    [
      "a live process reporting no mode is other mode; no process live is neither",
      [p("a", 0, 50), p("b", 70, 100, [70, "docker_first"])],
      "docker_first",
      { spans: [[70, 100]], inModeMs: 30, otherModeMs: 50, noProcessMs: 20 },
    ],
    [
      "a change before the window counts from the window's start",
      [p("a", -50, 100, [-50, "write_through"])],
      "write_through",
      { spans: [[0, 100]], inModeMs: 100, otherModeMs: 0, noProcessMs: 0 },
    ],
  ])("%s", (_name, processes, mode, expected) => {
    expect(modeTime(processes, mode, 0, 100)).toMatchObject(expected);
  });

  test.each<[ProcessModes[], boolean]>([
    [[], false],
    [[p("a", 0, 10)], false],
    [[p("a", 0, 10, [0, null])], false],
    [[p("a", 0, 10), p("b", 0, 10, [5, "dict_first"])], true],
  ])("modes reported: %j is %s", (processes, expected) => {
    expect(modesReported(processes)).toBe(expected);
  });

  const live = (id: string, mode: Mode | null) => ({ instance_id: id, mode, code_version: null });
  test.each<[string, ReturnType<typeof live>[], number, string[]]>([
    ["nobody reports a mode: nothing to say", [live("a", null)], 2, []],
    ["all in the recorded phase's mode", [live("a", "docker_first"), live("b", "docker_first")], 2, []],
    [
      "mixed modes, one behind Phase 2",
      [live("a", "docker_first"), live("b", "dict_first")],
      2,
      [
        "processes run mixed modes: 1 dict_first, 1 docker_first",
        "1 of 2 processes run a mode behind Phase 2's docker_first: b (dict_first)",
      ],
    ],
    [
      "all behind the recorded phase",
      [live("a", "dict_first")],
      3,
      ["1 of 1 processes run a mode behind Phase 3's write_through: a (dict_first)"],
    ],
    [
      "one not reporting is mixed",
      [live("a", "docker_first"), live("b", null)],
      2,
      ["processes run mixed modes: 1 docker_first, 1 not reporting a mode"],
    ],
    ["ahead of the recorded phase is not behind", [live("a", "write_through")], 2, []],
  ])("warnings: %s", (_name, procs, current, expected) => {
    expect(modeWarnings(procs, current)).toEqual(expected);
  });
});

describe("mode changes", () => {
  const s = (mode: Mode | null, codeVersion: string | null = "v1") => ({ mode, codeVersion });
  test.each<
    [
      string,
      ReturnType<typeof s> | null,
      (ReturnType<typeof s> & { lastSeenMs: number })[],
      ReturnType<typeof s>,
      ReturnType<typeof modeChange>,
    ]
  >([
    ["same mode and version: nothing", s("docker_first"), [], s("docker_first"), null],
    ["a new process without a mode: nothing", null, [], s(null, null), null],
    [
      "a new version, same mode",
      s("docker_first", "v1"),
      [],
      s("docker_first", "v2"),
      { previousMode: "docker_first", rollback: false },
    ],
    [
      "its own mode goes back: rollback",
      s("write_through"),
      [],
      s("docker_first"),
      { previousMode: "write_through", rollback: true },
    ],
    [
      "its own mode advances",
      s("dict_first"),
      [],
      s("docker_first"),
      { previousMode: "dict_first", rollback: false },
    ],
    [
      "a new process on older code than the host's latest other process: rollback",
      null,
      [
        { ...s("dict_first"), lastSeenMs: 10 },
        { ...s("write_through"), lastSeenMs: 20 },
        { ...s(null), lastSeenMs: 30 },
      ],
      s("docker_first"),
      { previousMode: "write_through", rollback: true },
    ],
    ["a first process: no rollback", null, [], s("dict_first"), { previousMode: null, rollback: false }],
  ])("%s", (_name, own, others, next, expected) => {
    expect(modeChange(own, others, next)).toEqual(expected);
  });
});

describe("the rollback signal", () => {
  test.each<
    [
      string,
      { phase: number; failing: string[] } | null,
      number,
      number,
      { phase: number; failing: string[] } | null,
    ]
  >([
    ["no mode rollback: unchanged", null, 2, 0, null],
    ["a mode rollback after an advance", null, 2, 1, { phase: 2, failing: ["mode_rollback"] }],
    [
      "beside regressed criteria",
      { phase: 3, failing: ["fallback_rate"] },
      3,
      2,
      { phase: 3, failing: ["fallback_rate", "mode_rollback"] },
    ],
    ["Phase 0 has nothing to roll back to", null, 0, 1, null],
  ])("%s", (_name, given, current, n, expected) => {
    const at = "2026-12-01T00:00:00.000Z";
    const signal = given
      ? {
          ...given,
          criteria: given.failing.map((id) => ({ id, title: id, at_advance: "met" as const })),
          advanced_at: at,
        }
      : null;
    const got = withModeRollback(signal, current, Array.from({ length: n }), at);
    expect(got ? { phase: got.phase, failing: got.failing } : null).toEqual(expected);
    if (got && n > 0)
      expect(got.criteria.at(-1)).toEqual({
        id: "mode_rollback",
        title: MODE_ROLLBACK_TITLE,
        at_advance: "met",
      });
  });
});
