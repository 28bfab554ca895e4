import { describe, expect, test } from "vitest";
import {
  applySnapshot,
  isStale,
  pairReplacements,
  recoveredRestarts,
  type InstanceRecord,
} from "./instances";
import { consistentInstances, recoveryMs } from "./instances";

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const rec = (
  id: string,
  started: number,
  first: number,
  last: number,
  replacedBy: string | null = null,
  endedAt: Date | null = null,
): InstanceRecord => ({
  instanceId: id,
  startedAt: t(started),
  firstSeenAt: t(first),
  lastSeenAt: t(last),
  takenAt: t(last),
  via: "push",
  entries: new Map(),
  replacedBy,
  endedAt,
});

describe("instances", () => {
  test.each([
    [30, false],
    [31, true],
  ])("stale after the threshold (silent %d s)", (silent, stale) => {
    expect(isStale(rec("a", 0, 0, 0), t(silent), 30_000)).toBe(stale);
  });

  test("a newer started_at for a known instance is a restart; an older one is ignored", () => {
    const a = rec("a", 0, 0, 10);
    const r = applySnapshot(
      a,
      { instanceId: "a", startedAt: t(20), takenAt: t(21), entries: new Map() },
      t(21),
      "push",
    );
    expect(r.restart).toMatchObject({ reason: "new_started_at", previousStartedAt: t(0), startedAt: t(20) });
    expect(
      applySnapshot(
        r.record,
        { instanceId: "a", startedAt: t(0), takenAt: t(22), entries: new Map() },
        t(22),
        "push",
      ).ignored,
    ).toBe(true);
    expect(
      applySnapshot(
        r.record,
        { instanceId: "a", startedAt: t(20), takenAt: t(5), entries: new Map() },
        t(22),
        "push",
      ).ignored,
    ).toBe(true);
  });

  test.each<[string, InstanceRecord[], [string, string][]]>([
    [
      "a process that started as the old one went silent replaces it",
      [rec("old", 0, 0, 100), rec("peer", 0, 50, 200), rec("new", 101, 102, 200)],
      [["new", "old"]],
    ],
    [
      "a peer seen for the first time after the old one fell silent, without a start time after it",
      [rec("old", 0, 0, 100), rec("peer", 0, 150, 200)],
      [["peer", "old"]],
    ],
    ["nobody new: no restart", [rec("old", 0, 0, 100), rec("peer", 0, 50, 200)], []],
    [
      "an already replaced instance is not paired again",
      [rec("old", 0, 0, 100, "x"), rec("new", 101, 102, 200)],
      [],
    ],
    [
      "two stale instances: the most recently silent is paired first",
      [rec("a", 0, 0, 100), rec("b", 0, 0, 150), rec("n", 151, 152, 200)],
      [["n", "b"]],
    ],
  ])("%s", (_name, records, want) => {
    expect(
      pairReplacements(records, t(200), 30_000).map((r) => [r.instanceId, r.previousInstanceId]),
    ).toEqual(want);
  });
});

describe("recovery of a restart", () => {
  const src = (id: string, status: "ok" | "stale") => ({
    id: `active_indexers:${id}`,
    kind: "active_indexers" as const,
    status,
    entries: new Map(),
  });
  const project = (source: string, status: "consistent" | "diverged") => ({
    project: "alpha",
    health: status === "consistent" ? ("consistent" as const) : ("diverged" as const),
    containers: [],
    checks: [{ source, project: "alpha", status, findings: [] }],
    findings: [],
  });
  const pending = [{ id: 1, instanceId: "b" }];
  test.each([
    ["its source is ok and every check of it is consistent", [src("b", "ok")], "consistent", [1]],
    ["a check of its source is still diverged", [src("b", "ok")], "diverged", []],
    ["its source is stale", [src("b", "stale")], "consistent", []],
    ["its source is not listed", [], "consistent", []],
  ] as const)("%s", (_name, sources, status, ids) => {
    const projects = [project("active_indexers:b", status)];
    expect(recoveredRestarts(pending, [...sources], projects).map((p) => p.id)).toEqual(ids);
  });

  test("checks of other sources do not hold a recovery back", () => {
    const projects = [project("container_registry", "diverged"), project("active_indexers:b", "consistent")];
    expect(recoveredRestarts(pending, [src("b", "ok")], projects)).toHaveLength(1);
  });
});

describe("clean exits (CONTRACT 6b)", () => {
  test("an ended instance is never stale, never replaced, and no replacement", () => {
    const ended = rec("a", 0, 0, 10, null, t(10));
    expect(isStale(ended, t(500), 30_000)).toBe(false);
    const next = rec("b", 20, 20, 100);
    expect(pairReplacements([ended, next], t(100), 30_000)).toEqual([]);
    const crashed = rec("c", 0, 0, 10);
    const endedLater = rec("d", 20, 20, 100, null, t(100));
    expect(pairReplacements([crashed, endedLater], t(100), 30_000)).toEqual([]);
  });

  test("the end snapshot ends the instance; later snapshots of that process are ignored", () => {
    const live = rec("a", 0, 0, 10);
    const end = applySnapshot(
      live,
      { instanceId: "a", startedAt: t(0), takenAt: t(12), entries: new Map(), ended: true },
      t(12),
      "push",
    );
    expect(end.record.endedAt).toEqual(t(12));
    const late = applySnapshot(
      end.record,
      { instanceId: "a", startedAt: t(0), takenAt: t(13), entries: new Map() },
      t(13),
      "push",
    );
    expect(late.ignored).toBe(true);
  });

  test("a new started_at after a clean exit is a fresh start, not a restart", () => {
    const ended = rec("a", 0, 0, 10, null, t(10));
    const r = applySnapshot(
      ended,
      { instanceId: "a", startedAt: t(30), takenAt: t(31), entries: new Map() },
      t(31),
      "push",
    );
    expect(r).toMatchObject({ ignored: false, restart: null });
    expect(r.record.endedAt).toBeNull();
  });
});

describe("recovery is measured from the new process's start to its first consistent poll", () => {
  test("a restart found late (after the new process caught up) is not 0 ms", () => {
    expect(
      recoveryMs({ startedAt: "2026-11-27T09:00:00.000Z", recoveredAt: "2026-11-27T09:00:08.000Z" }),
    ).toBe(8000);
    expect(recoveryMs({ startedAt: "2026-11-27T09:00:00.000Z", recoveredAt: null })).toBeNull();
  });

  test("consistent instances: ok source, every check consistent; a diverged check or stale source is not", () => {
    const src = (id: string, status: "ok" | "stale") =>
      ({ id: `active_indexers:${id}`, kind: "active_indexers", status, entries: new Map() }) as const;
    const check = (source: string, status: "consistent" | "diverged") => ({
      source: `active_indexers:${source}`,
      project: "p",
      status,
      findings: [],
    });
    const projects = [
      {
        project: "p",
        health: "diverged" as const,
        containers: [],
        checks: [check("a", "consistent"), check("b", "diverged"), check("c", "consistent")],
        findings: [],
      },
    ];
    expect([...consistentInstances([src("a", "ok"), src("b", "ok"), src("c", "stale")], projects)]).toEqual([
      "a",
    ]);
  });
});

describe("an instance poisoned by a time from the future (stored before they were refused)", () => {
  const far = new Date("9999-12-31T00:00:00Z");
  test.each([
    ["taken_at", { takenAt: far }],
    ["started_at", { startedAt: far }],
  ])("a stored %s in 9999 gives way to the next real snapshot", (_field, poison) => {
    const held = { ...rec("a", 0, 0, 10), ...poison };
    const r = applySnapshot(
      held,
      { instanceId: "a", startedAt: t(5), takenAt: t(20), entries: new Map() },
      t(20),
      "push",
    );
    expect(r.ignored).toBe(false);
    expect(r.restart).toBeNull();
    expect(r.record).toMatchObject({ startedAt: t(5), takenAt: t(20), firstSeenAt: t(0) });
  });

  test("a held time within the tolerance still orders snapshots", () => {
    const held = { ...rec("a", 0, 0, 10), takenAt: t(200) };
    const r = applySnapshot(
      held,
      { instanceId: "a", startedAt: t(0), takenAt: t(20), entries: new Map() },
      t(20),
      "push",
    );
    expect(r.ignored).toBe(true);
  });
});

describe("one process per project (CONTRACT 7a): another project's process is no restart", () => {
  const holding = (r: InstanceRecord, projects: string[], stopped: string[] = []): InstanceRecord => ({
    ...r,
    entries: new Map(projects.map((p) => [p, { containerId: null, port: null }])),
    adr: {
      stopped: new Map(stopped.map((p) => [p, { containerId: null, stopTimeMs: null, port: null }])),
      allocated: null,
    },
  });
  // Found against the real branch code: a new process for delta was paired as beta's restart.
  test.each([
    ["a new process for another project", ["delta"], []],
    ["a new process that took the project over", ["beta"], [["b", "a"]]],
    ["a new process that lists the project as stopped", [], [["b", "a"]], ["beta"]],
  ] as const)("%s", (_name, projects, want, stopped: readonly string[] = []) => {
    const crashed = holding(rec("a", 0, 0, 10), [], ["beta"]);
    const next = holding(rec("b", 20, 20, 100), [...projects], [...stopped]);
    expect(
      pairReplacements([crashed, next], t(100), 30_000).map((r) => [r.instanceId, r.previousInstanceId]),
    ).toEqual(want);
  });

  test("a silent process that held nothing, or a new one that holds nothing yet, pair as before", () => {
    const next = holding(rec("b", 20, 20, 100), ["delta"]);
    expect(pairReplacements([rec("a", 0, 0, 10), next], t(100), 30_000)).toHaveLength(1);
    const fresh = holding(rec("b", 20, 20, 100), []);
    expect(pairReplacements([holding(rec("a", 0, 0, 10), ["beta"]), fresh], t(100), 30_000)).toHaveLength(1);
  });

  test("a process heard from while the silent one still answered ran beside it: no restart", () => {
    const beside = holding(rec("b", 5, 5, 100), ["beta"]);
    expect(pairReplacements([holding(rec("a", 0, 0, 10), ["beta"]), beside], t(100), 30_000)).toEqual([]);
  });
});
