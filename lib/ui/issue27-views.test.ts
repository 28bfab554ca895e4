// The overview's pure helpers of issue 27: folded columns, human names, held order, the
// longest diverged, the acknowledgement preview and evidence wording. Table tests.
import { describe, expect, test } from "vitest";
import type { ApiState } from "../contracts/state";
import { matrixColumns, matrixRows } from "./matrix";
import { columnNames, FOLD_COLUMN, foldLabel, foldRows, shownColumns } from "./matrix-columns";
import { holdOrder, rowsToMove } from "./stable-order";
import { longestDiverged } from "./longest";
import { ackPreview, previewText } from "./ack-preview";
import { evidenceHeading, isInstantField } from "./evidence";
import { ruleLabel } from "./words";

const finding = (kind: string, source: string, opened: string) => ({
  kind,
  source,
  message: "m",
  opened_at: opened,
});
const project = (name: string, health: string, findings: ReturnType<typeof finding>[]) => ({
  project: name,
  health,
  docker_status: "consistent",
  containers: [],
  checks: [
    {
      source: "container_registry",
      status: findings.length ? "diverged" : "consistent",
      findings: findings.filter((f) => f.source === "container_registry"),
    },
  ],
  findings,
  sources: { "active_indexers:old": { container_id: "abc", port: 1 } },
});

const state = {
  polled_at: "2026-12-01T10:00:00Z",
  docker: { reachable: true, endpoint: "unix:///x", latency_ms: 1, error: null },
  sources: [
    { id: "container_registry", kind: "registry_file", status: "ok" },
    {
      id: "active_indexers:old",
      kind: "active_indexers",
      status: "stale",
      started_at: "2026-12-01T08:00:00Z",
      last_seen: "2026-12-01T09:00:00Z",
    },
    {
      id: "active_indexers:done",
      kind: "active_indexers",
      status: "ended",
      started_at: "2026-12-01T07:00:00Z",
      last_seen: "2026-12-01T08:00:00Z",
    },
    { id: "active_indexers:b", kind: "active_indexers", status: "ok", started_at: "2026-12-01T09:30:00Z" },
    { id: "active_indexers:a", kind: "active_indexers", status: "ok", started_at: "2026-12-01T09:10:00Z" },
  ],
  projects: [
    project("beta", "diverged", [finding("port_mismatch", "container_registry", "2026-12-01T09:00:00Z")]),
    project("alpha", "diverged", [
      finding("missing_in_source", "container_registry", "2026-12-01T08:00:00Z"),
    ]),
    project("gamma", "diverged", [
      finding("missing_in_source", "container_registry", "2026-12-01T09:00:00Z"),
    ]),
    project("delta", "consistent", []),
  ],
  collector: { poll_interval_ms: 1000, duration_ms: 1 },
} as unknown as ApiState;

describe("matrix columns", () => {
  const all = matrixColumns(state);
  test("live places first, the ended and stale processes in one column (opened: listed after it)", () => {
    expect(shownColumns(all, state, false)).toEqual([
      "docker",
      "container_registry",
      "active_indexers:a",
      "active_indexers:b",
      FOLD_COLUMN,
    ]);
    expect(shownColumns(all, state, true).slice(-3)).toEqual([
      FOLD_COLUMN,
      "active_indexers:old",
      "active_indexers:done",
    ]);
  });
  test("human names, the id as title; live processes by start time", () => {
    const names = columnNames(state, shownColumns(all, state, true));
    expect([...names.values()].map((n) => n.label)).toEqual([
      "Docker",
      "Registry file",
      "Orchestrator 1",
      "Orchestrator 2",
      "2 ended/stale processes",
      "stale old",
      "ended done",
    ]);
    expect(names.get("active_indexers:a")?.title).toBe("active_indexers:a");
    expect(names.get(FOLD_COLUMN)?.title).toBe("active_indexers:old (stale), active_indexers:done (ended)");
  });
  test("the folded cell says how many of those processes still list the project", () => {
    const cols = shownColumns(all, state, false);
    const rows = foldRows(matrixRows(state), state, cols);
    expect(rows[0]?.cells.map((c) => c.source)).toEqual(cols);
    expect(rows[0]?.cells.at(-1)).toMatchObject({
      source: FOLD_COLUMN,
      value: "listed by 1",
      status: "absent",
    });
  });
  test("nothing folded: the rows are returned as they are", () => {
    const live = { ...state, sources: state.sources.filter((s) => s.status === "ok") } as ApiState;
    const rows = matrixRows(live);
    expect(foldRows(rows, live, shownColumns(matrixColumns(live), live, false))).toBe(rows);
  });
  test.each([
    [1, "1 ended/stale process"],
    [4, "4 ended/stale processes"],
  ])("foldLabel(%i)", (n, text) => expect(foldLabel(n)).toBe(text));
});

describe("held order", () => {
  const r = (...keys: string[]) => keys.map((key) => ({ key }));
  test.each([
    { name: "not held: the live order", live: r("a", "b", "c"), held: null, shown: ["a", "b", "c"], move: 0 },
    {
      name: "held: the order seen",
      live: r("c", "a", "b"),
      held: ["a", "b", "c"],
      shown: ["a", "b", "c"],
      move: 3,
    },
    {
      name: "a new row goes last",
      live: r("d", "a", "b"),
      held: ["a", "b"],
      shown: ["a", "b", "d"],
      move: 3,
    },
    { name: "a row gone leaves no gap", live: r("b"), held: ["a", "b"], shown: ["b"], move: 0 },
  ])("$name", ({ live, held, shown, move }) => {
    const out = holdOrder(live, held);
    expect(out.map((x) => x.key)).toEqual(shown);
    expect(rowsToMove(out, live)).toBe(move);
  });
});

test("the longest diverged: oldest first, ties by name, with the places that differ", () => {
  const { top, total } = longestDiverged(matrixRows(state), 2);
  expect(total).toBe(3);
  expect(top.map((d) => [d.project, d.since, d.places])).toEqual([
    ["alpha", "2026-12-01T08:00:00Z", ["container_registry"]],
    ["beta", "2026-12-01T09:00:00Z", ["container_registry"]],
  ]);
});

describe("acknowledgement preview", () => {
  test.each([
    { project: "*", kind: "missing_in_source", projects: ["alpha", "gamma"], findings: 2 },
    { project: "al*", kind: "missing_in_source", projects: ["alpha"], findings: 1 },
    { project: "?eta", kind: null, projects: ["beta"], findings: 1 },
    { project: "*", kind: "not_running", projects: [], findings: 0 },
    { project: "  ", kind: null, projects: [], findings: 0 },
  ])("$project / $kind", ({ project: p, kind, projects, findings }) => {
    expect(ackPreview(state, { project: p, source: "container_registry", kind })).toEqual({
      projects,
      findings,
    });
  });
  test.each([
    [{ projects: [], findings: 0 }, "Matches no finding now."],
    [{ projects: ["a"], findings: 1 }, "Matches 1 finding in 1 project now: a"],
    [{ projects: ["a", "b", "c"], findings: 4 }, "Matches 4 findings in 3 projects now: a, b and 1 more"],
  ])("previewText %#", (p, text) => expect(previewText(p, 2)).toBe(text));
});

test.each([
  ["recovered_in_ms", "recovered in"],
  ["recovered in ms", "recovered in"],
  ["docker_ok", "docker ok"],
  ["items", "items"],
])("evidenceHeading(%s)", (k, h) => expect(evidenceHeading(k)).toBe(h));

test.each([
  ["recovered_at", "2026-12-01T10:00:00.000Z", true],
  ["started at", "2026-12-01T10:00:00Z", true],
  ["recovered_at", "—", false],
  ["first_seen", "2026-12-01T23:23:31.232Z", true],
  ["project", "2026-12-01", false],
  ["project", "2026-12-01T10:00:00", false],
])("isInstantField(%s, %s)", (k, v, yes) => expect(isInstantField(k, v)).toBe(yes));

test.each([
  ["docker_unreachable", "Docker unreachable"],
  ["something_new", "something_new"],
])("ruleLabel(%s)", (r, text) => expect(ruleLabel(r)).toBe(text));
