import { describe, expect, test } from "vitest";
import { formatAge, leakedFindings, withCrashLeaks } from "./leaks";
import { computeDivergence } from "../divergence";
import type { Container, Source } from "../types";
import type { StoppedIndexer } from "./types";

const NOW = Date.parse("2026-12-01T11:00:00Z");
const B = "01a3938836266fcbc4d9ab76ccf77d22886510fb142f066b34f4e61f464fa303";
const A = "a1".repeat(32);
const ctr = (id: string, project: string, state: string): Container => ({
  id,
  name: `indexer-${project}`,
  project,
  state,
  createdMs: NOW - 3600_000,
  labels: { "com.l9.managed": "true", "com.l9.project": project },
  port: null,
  boundPort: null,
});
const stopped = (id: string): Map<string, StoppedIndexer> =>
  new Map([["beta", { containerId: id, stopTimeMs: Date.parse("2026-12-01T10:42:00Z"), port: 48100 }]]);
const proc = (
  name: string,
  o: {
    status?: Source["status"];
    holds?: Record<string, string>;
    stopped?: Map<string, StoppedIndexer> | null;
    lastSeen?: string;
  } = {},
): Source => {
  const status = o.status ?? "ok";
  const entries = new Map(
    Object.entries(o.holds ?? {}).map(([p, id]) => [p, { containerId: id, port: null }]),
  );
  return {
    id: `active_indexers:${name}`,
    kind: "active_indexers",
    status,
    entries: status === "ok" ? entries : new Map(),
    adr: { stopped: o.stopped === undefined ? new Map() : o.stopped, allocated: null },
    ...(status === "ok"
      ? {}
      : { held: entries, lastSeenMs: Date.parse(o.lastSeen ?? "2026-12-01T10:42:30Z") }),
  };
};

describe("leaked_container (CONTRACT 7b)", () => {
  test.each([
    ["listed as stopped by a live process: accounted for", [proc("A", { stopped: stopped(B) })], null],
    ["held by a live process (by a 12-hex prefix)", [proc("A", { holds: { beta: B.slice(0, 12) } })], null],
    ["a live process does not report stopped_indexers: undecided", [proc("A", { stopped: null })], null],
    // Found against the real branch code: when the last live process exited, a crash's leak vanished.
    [
      "no live process, its holder crashed: still leaked",
      [proc("B", { status: "stale", stopped: stopped(B) })],
      "active_indexers:B",
    ],
    [
      "no live process, and none ever reported stopped_indexers: undecided",
      [proc("B", { status: "stale", stopped: null })],
      null,
    ],
    [
      "its holder crashed: leaked, with the holder as source",
      [proc("A"), proc("mcp-vm-23847", { status: "stale", stopped: stopped(B) })],
      "active_indexers:mcp-vm-23847",
    ],
    ["nobody known ever listed it: leaked, no source", [proc("A")], undefined],
    [
      "its holder exited cleanly: leaked, no source",
      [proc("A"), proc("C", { status: "ended", stopped: stopped(B) })],
      undefined,
    ],
  ])("%s", (_name, sources, source) => {
    const f = leakedFindings([ctr(B, "beta", "exited"), ctr(A, "alpha", "running")], sources, NOW);
    if (source === null) expect(f).toEqual([]);
    else {
      expect(f.map((x) => [x.kind, x.project, x.container_id])).toEqual([["leaked_container", "beta", B]]);
      expect(f[0]!.source).toBe(source);
    }
  });

  test("a created container (the refused bind) counts as stopped", () => {
    expect(leakedFindings([ctr(B, "beta", "created")], [proc("A")], NOW)).toHaveLength(1);
  });

  test("the message names the process and when it stopped answering, and the age", () => {
    const [f] = leakedFindings(
      [ctr(B, "beta", "exited")],
      [proc("A"), proc("mcp-vm-23847", { status: "stale", stopped: stopped(B) })],
      NOW,
    );
    expect(f?.message).toBe(
      "no process holds this container (01a393883626, exited for 18 min): it leaked when mcp-vm-23847 stopped answering at 10:42 UTC",
    );
  });

  test("in the result: container level, health warning, counted by kind, no check added", () => {
    const r = computeDivergence({
      docker: { reachable: true, containers: [ctr(B, "beta", "exited")] },
      sources: [proc("A")],
      nowMs: NOW,
    });
    const p = r.projects.find((x) => x.project === "beta")!;
    expect(p.health).toBe("warning");
    expect(p.checks).toEqual([]);
    expect(r.kindCounts.leaked_container).toBe(1);
    expect(r.checks).toBe(0);
  });

  test.each([
    [30_000, "30 s"],
    [18 * 60_000, "18 min"],
    [5 * 3600_000, "5 h"],
    [3 * 86400_000, "3 d"],
  ])("formatAge(%i) = %s", (ms, s) => expect(formatAge(ms)).toBe(s));
});

describe("Phase 3 crash recovery with a crash-leaked container", () => {
  const met = {
    id: "crash_recovery",
    title: "t",
    target: "x",
    actual: "1 of 1",
    status: "met" as const,
    evidence: { summary: "1 of 1 restarts recovered in time" },
  };
  test.each([
    [undefined, "met"],
    [[], "met"],
    [[{ project: "beta", container_id: B, source: "active_indexers:mcp-vm-23847" }], "not_met"],
  ] as const)("%o: %s", (leaked, status) => {
    expect(withCrashLeaks(met, leaked ? [...leaked] : undefined).status).toBe(status);
  });
});
