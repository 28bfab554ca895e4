import { describe, expect, test } from "vitest";
import { isInFlight, type ContainerEvent } from "./in-flight";
import type { CheckKind } from "./types";

const TAKEN = 1_000_000;
const ev = (action: ContainerEvent["action"], dt: number): ContainerEvent => ({ action, atMs: TAKEN + dt });

describe("in flight: a Docker event newer than the snapshot explains the difference", () => {
  test.each<[string, CheckKind, number | null, ContainerEvent[], boolean]>([
    [
      "created after the snapshot: not yet in the dict",
      "missing_in_source",
      TAKEN,
      [ev("create", 200)],
      true,
    ],
    ["created before the snapshot: a real orphan", "missing_in_source", TAKEN, [ev("create", -200)], false],
    [
      "created at the very instant: counted (not newer)",
      "missing_in_source",
      TAKEN,
      [ev("create", 0)],
      false,
    ],
    ["removed after the snapshot", "missing_in_docker", TAKEN, [ev("destroy", 50)], true],
    ["removed before the snapshot", "missing_in_docker", TAKEN, [ev("destroy", -50)], false],
    ["a stop explains not_running", "not_running", TAKEN, [ev("die", 10)], true],
    ["a create does not explain not_running", "not_running", TAKEN, [ev("create", 10)], false],
    ["replaced after the snapshot", "container_id_mismatch", TAKEN, [ev("create", 5)], true],
    ["recreated on another port after the snapshot", "port_mismatch", TAKEN, [ev("start", 5)], true],
    [
      "two copies in one process: never Docker's timing",
      "legacy_copies_disagree",
      TAKEN,
      [ev("create", 5)],
      false,
    ],
    ["no snapshot time: never in flight", "missing_in_source", null, [ev("create", 5)], false],
    ["no events: counted", "missing_in_docker", TAKEN, [], false],
  ])("%s", (_name, kind, taken, events, expected) => {
    expect(isInFlight(kind, taken, events)).toBe(expected);
  });

  test("a later snapshot (taken after the event) makes the same difference count", () => {
    const events = [ev("create", 200)];
    expect(isInFlight("missing_in_source", TAKEN, events)).toBe(true);
    expect(isInFlight("missing_in_source", TAKEN + 1000, events)).toBe(false);
  });
});
