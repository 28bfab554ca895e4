// The fleet state paged in the matrix's order (issue 26): a walk over the pages of any view is
// exactly the rows the matrix would show from the whole state; the cursor carries the sort's
// key and is checked against the sort; a delta merged into the shown rows keeps them the view's
// first rows up to the cursor, so the next page continues them without a gap or a repeat.
import { describe, expect, test } from "vitest";
import type { ApiFinding, ApiProject, ApiState } from "../contracts/state";
import {
  diffState,
  mergePage,
  orderText,
  parseOrderText,
  type ApiStatePage,
  type StateOrder,
} from "../contracts/state-live";
import { stateOrderQuery } from "../contracts/state-query";
import { filterRows, matrixRows, sortRows } from "./matrix";
import { matrixFiltersOf, mergeOrderedDelta, orderedPage, viewOrder } from "./state-order";

const HEALTHS = ["consistent", "warning", "diverged", "unknown"] as const;

function project(host: string, name: string, health: ApiProject["health"], openedMin = 0): ApiProject {
  const findings: ApiFinding[] =
    health === "consistent"
      ? []
      : [
          {
            kind: "port_mismatch",
            source: "container_registry",
            message: "m",
            opened_at: new Date(Date.UTC(2026, 11, 1, 0, openedMin)).toISOString(),
          } as ApiFinding,
        ];
  return {
    project: name,
    host,
    health,
    docker_status: "consistent",
    containers: [],
    checks: [],
    findings,
    sources: {},
  } as unknown as ApiProject;
}

function state(pollId: number, projects: ApiProject[]): ApiState {
  const count = (h: ApiProject["health"]) => projects.filter((p) => p.health === h).length;
  return {
    polled_at: new Date(Date.UTC(2026, 11, 1, 0, 0, pollId)).toISOString(),
    poll_id: pollId,
    simulated: false,
    docker: { reachable: true, endpoint: "unix:///d.sock", latency_ms: 1, error: null, last_ok_at: null },
    sources: [],
    summary: {
      checks: projects.length,
      diverged: count("diverged"),
      divergence_rate: 0,
      diverged_acknowledged: 0,
      divergence_rate_acknowledged: 0,
      acknowledgements_in_force: 0,
      projects: projects.length,
      health: {
        consistent: count("consistent"),
        warning: count("warning"),
        diverged: count("diverged"),
        unknown: count("unknown"),
      },
    },
    projects,
    unassigned_containers: [],
    collector: { poll_interval_ms: 5000, duration_ms: 1 },
    role: "server",
    hosts: ["ana", "bo", "cy"],
  };
}

// 3 hosts x 60 projects in no order, every health, names that sort differently by code point
// ("p-…", "p_…", "P…") so the server and the matrix must share one comparison.
const names = (i: number) => [`p-${i}`, `p_${i}`, `P${i}`, `p${String(i).padStart(2, "0")}`][i % 4]!;
const fleet = ["cy", "ana", "bo"].flatMap((h, hi) =>
  Array.from({ length: 60 }, (_, i) =>
    project(h, names((i * 37) % 60), HEALTHS[(i + hi) % 4]!, (i * 13) % 50),
  ),
);
const keyOf = (p: Pick<ApiProject, "host" | "project">) => `${p.host}/${p.project}`;

/** The matrix's own rows of the whole state in a view: what the pages must add up to. */
const matrixOrder = (s: ApiState, o: StateOrder) =>
  sortRows(filterRows(matrixRows(s), matrixFiltersOf(o)), { key: o.sort, dir: o.dir }).map((r) => r.key);

function walk(s: ApiState, o: StateOrder, limit: number): { keys: string[]; pages: number } {
  let page = orderedPage(s, limit, o);
  const keys = page.projects.map(keyOf);
  let pages = 1;
  while (page.page.next_cursor) {
    const next = stateOrderQuery.parse({ ...o, cursor: page.page.next_cursor });
    page = orderedPage(s, limit, next);
    keys.push(...page.projects.map(keyOf));
    pages += 1;
    expect(page.projects.length).toBeLessThanOrEqual(limit);
  }
  return { keys, pages };
}

describe("pages in the matrix's order", () => {
  const views: StateOrder[] = [
    { sort: "health", dir: "asc" },
    { sort: "health", dir: "desc" },
    { sort: "project", dir: "asc" },
    { sort: "since", dir: "asc" },
    { sort: "findings", dir: "desc" },
    { sort: "health", dir: "asc", health: "diverged" },
    { sort: "health", dir: "asc", q: "p_" },
  ];
  for (const o of views)
    test(`walking ${orderText(o)} gives the matrix's rows of the whole state, each once`, () => {
      const s = state(1, fleet);
      const want = matrixOrder(s, o);
      const { keys, pages } = walk(s, o, 25);
      expect(keys).toEqual(want);
      expect(pages).toBe(Math.max(1, Math.ceil(want.length / 25)));
      const first = orderedPage(s, 25, o);
      expect(first.page.matching).toBe(want.length);
      expect(first.page.total_projects).toBe(180);
      expect(first.page.order).toBe(orderText(o));
    });

  test("the default view: each host's diverged projects first, then unknown, warning, consistent", () => {
    const first = orderedPage(state(1, fleet), 20, { sort: "health", dir: "asc" });
    expect(first.projects.map((p) => p.host)).toEqual(Array(20).fill("ana"));
    expect(first.projects.slice(0, 15).every((p) => p.health === "diverged")).toBe(true);
    expect(first.projects[15]?.health).toBe("unknown");
    expect(JSON.parse(first.page.next_cursor!)).toEqual(["ana", 1, first.projects[19]!.project]);
  });

  test("a bad sort, dir, filter or cursor is refused naming the field; the cursor must be the sort's", () => {
    const msg = (q: Record<string, string>) => {
      const r = stateOrderQuery.safeParse(q);
      return r.success ? "" : r.error.issues.map((i) => i.message).join("; ");
    };
    expect(msg({ sort: "worst" })).toMatch(/^sort: /);
    expect(msg({ sort: "health", dir: "up" })).toMatch(/^dir: /);
    expect(msg({ sort: "health", health: "bad" })).toMatch(/^health: /);
    expect(msg({ sort: "health", kind: "nope" })).toMatch(/^kind: /);
    expect(msg({ sort: "health", labels: "yes" })).toMatch(/^labels: /);
    expect(msg({ sort: "health", q: "x".repeat(201) })).toMatch(/^q: /);
    expect(msg({ sort: "health", q: "x".repeat(200) })).toBe("");
    expect(msg({ sort: "health", cursor: "nope" })).toMatch(/^cursor: /);
    expect(msg({ sort: "health", cursor: '["ana","p1"]' })).toMatch(/^cursor: /);
    expect(msg({ sort: "health", cursor: '["ana","x","p1"]' })).toMatch(/^cursor: .*sort=health/);
    expect(msg({ sort: "since", cursor: '["ana",0,"p1"]' })).toMatch(/^cursor: .*sort=since/);
    expect(msg({ sort: "health", cursor: '["ana",0,"p1"]' })).toBe("");
    expect(msg({ sort: "health", cursor: JSON.stringify(["a".repeat(201), 0, "p"]) })).toMatch(/^cursor: /);
  });

  test("the browser's zod-free reading of a view agrees with the server's check", () => {
    const texts = [
      "sort=health",
      "sort=health&dir=desc",
      "sort=since&dir=asc&health=diverged&kind=port_mismatch&source=registry_file&labels=1&q=ab",
      "sort=project&labels=0",
      "sort=bogus",
      "dir=asc",
      "sort=health&dir=up",
      "sort=health&health=red",
      "sort=health&kind=nope",
      "sort=health&source=",
      `sort=health&q=${"q".repeat(201)}`,
      "sort=health&labels=2",
    ];
    for (const t of texts) {
      const z = stateOrderQuery.safeParse(Object.fromEntries(new URLSearchParams(t)));
      expect([t, parseOrderText(t)]).toEqual([t, z.success ? z.data : null]);
    }
  });

  test("the view's query string reads back; the overview's view maps onto it, bounded", () => {
    const o: StateOrder = { sort: "since", dir: "desc", health: "warning", labels: "1", q: "x y" };
    expect(parseOrderText(orderText(o))).toEqual(o);
    expect(parseOrderText("sort=bogus")).toBeNull();
    const v = viewOrder({
      sort: { key: "health", dir: "asc" },
      filters: { health: "", kind: "", source: "", labels: false, q: "q".repeat(300) },
    });
    expect(v).toEqual({ sort: "health", dir: "asc", q: "q".repeat(200) });
  });
});

describe("a delta merged into the shown rows", () => {
  const o: StateOrder = { sort: "health", dir: "asc" };
  const LIMIT = 20;

  /** The shown page(s) of `s1` with the delta to `s2` merged, then the rest walked from its cursor. */
  function afterDelta(s1: ApiState, s2: ApiState, shownPages = 1) {
    let shown: ApiStatePage = orderedPage(s1, LIMIT, o);
    for (let i = 1; i < shownPages && shown.page.next_cursor; i++)
      shown = mergePage(
        shown,
        orderedPage(s1, LIMIT, stateOrderQuery.parse({ ...o, cursor: shown.page.next_cursor })),
      );
    const first = diffState(null, s1).next;
    const { delta } = diffState(first, s2);
    const merged = mergeOrderedDelta(shown, delta!, o)!;
    let all = merged;
    while (all.page.next_cursor)
      all = mergePage(
        all,
        orderedPage(s2, LIMIT, stateOrderQuery.parse({ ...o, cursor: all.page.next_cursor })),
      );
    const order = (s: ApiState) => sortRows(matrixRows(s), { key: o.sort, dir: o.dir }).map((r) => r.key);
    return { shown, merged: order(merged), walked: order(all), want: matrixOrder(s2, o) };
  }

  test("a project beyond the shown rows that turns diverged appears in its place; one on a later host does not", () => {
    const s1 = state(1, fleet);
    // The first host's last row (the matrix groups by host: a later host's rows stay after it).
    const far = orderedPage(s1, 200, o)
      .projects.filter((p) => p.host === "ana")
      .at(-1)!;
    expect(far.health).toBe("consistent");
    const s2 = state(
      2,
      fleet.map((p) => (p === far ? project(far.host!, far.project, "diverged", 1) : p)),
    );
    const r = afterDelta(s1, s2);
    expect(r.shown.projects.map(keyOf)).not.toContain(keyOf(far));
    expect(r.merged).toContain(keyOf(far));
    // the shown rows are the view's first rows of the new state, nothing missing before the cursor
    expect(r.merged).toEqual(r.want.slice(0, r.merged.length));
    expect(r.walked).toEqual(r.want);
    const later = fleet.find((p) => p.host === "cy" && p.health === "consistent")!;
    const s3 = state(
      3,
      fleet.map((p) => (p === later ? project("cy", later.project, "diverged", 1) : p)),
    );
    const r3 = afterDelta(s1, s3);
    expect(r3.merged).not.toContain(keyOf(later));
    expect(r3.walked).toEqual(r3.want);
  });

  test("a shown project that turns consistent leaves the shown rows; its page brings it back", () => {
    const s1 = state(1, fleet);
    const near = orderedPage(s1, LIMIT, o).projects[0]!;
    expect(near.health).toBe("diverged");
    const s2 = state(
      2,
      fleet.map((p) => (p === near ? project(near.host!, near.project, "consistent") : p)),
    );
    const r = afterDelta(s1, s2);
    expect(r.merged).not.toContain(keyOf(near));
    expect(r.merged).toEqual(r.want.slice(0, r.merged.length));
    expect(r.walked).toEqual(r.want);
    expect(r.walked).toContain(keyOf(near));
  });

  test("many changes at once, some removed, some new, over two shown pages: still the view's rows", () => {
    const s1 = state(1, fleet);
    const s2 = state(2, [
      ...fleet
        .filter((_, i) => i % 11 !== 3)
        .map((p, i) => (i % 5 === 0 ? project(p.host!, p.project, HEALTHS[(i >> 1) % 4]!, i % 7) : p)),
      project("ana", "new-one", "diverged", 2),
      project("cy", "new-two", "consistent"),
    ]);
    const r = afterDelta(s1, s2, 2);
    expect(r.merged).toEqual(r.want.slice(0, r.merged.length));
    expect(r.walked).toEqual(r.want);
  });

  test("every row shown (no cursor): every change is kept; the counts follow the delta", () => {
    const small = fleet.slice(0, 10);
    const s1 = state(1, small);
    const s2 = state(2, [
      ...small.slice(1),
      project("bo", "zz", "consistent"),
      project("bo", "zy", "warning"),
    ]);
    const shown = orderedPage(s1, LIMIT, o);
    expect(shown.page.next_cursor).toBeNull();
    const { delta } = diffState(diffState(null, s1).next, s2);
    const merged = mergeOrderedDelta(shown, delta!, o)!;
    expect(sortRows(matrixRows(merged), { key: o.sort, dir: o.dir }).map((r) => r.key)).toEqual(
      matrixOrder(s2, o),
    );
    expect(merged.page.matching).toBe(11);
    expect(merged.page.total_projects).toBe(11);
  });

  test("with filters on and rows past the cursor, a delta that touches rows cannot tell the count: fetch again; one that touches none merges", () => {
    const f: StateOrder = { sort: "project", dir: "asc", health: "consistent" };
    const s1 = state(1, fleet);
    const shown = orderedPage(s1, LIMIT, f);
    expect(shown.page.next_cursor).not.toBeNull();
    const s2 = state(
      2,
      fleet.map((p, i) => (i === 0 ? project(p.host!, p.project, "diverged", 9) : p)),
    );
    const { delta } = diffState(diffState(null, s1).next, s2);
    expect(mergeOrderedDelta(shown, delta!, f)).toBeNull();
    const { delta: same } = diffState(diffState(null, s1).next, { ...s1, poll_id: 3 });
    expect(same!.changed_projects).toEqual([]);
    const kept = mergeOrderedDelta(shown, same!, f)!;
    expect(kept.projects).toEqual(shown.projects);
    expect(kept.page.matching).toBe(shown.page.matching);
  });

  test("with filters on and every match shown, the delta merges and the count is the rows'", () => {
    const f: StateOrder = { sort: "health", dir: "asc", health: "diverged" };
    const s1 = state(1, fleet);
    const shown = orderedPage(s1, 100, f);
    expect(shown.page.next_cursor).toBeNull();
    expect(shown.page.matching).toBe(45);
    // one consistent project turns diverged, one diverged turns consistent, one diverged goes
    const up = fleet.find((p) => p.health === "consistent")!;
    const down = fleet.filter((p) => p.health === "diverged")[0]!;
    const gone = fleet.filter((p) => p.health === "diverged")[1]!;
    const s2 = state(
      2,
      fleet
        .filter((p) => p !== gone)
        .map((p) =>
          p === up
            ? project(p.host!, p.project, "diverged", 3)
            : p === down
              ? project(p.host!, p.project, "consistent")
              : p,
        ),
    );
    const { delta } = diffState(diffState(null, s1).next, s2);
    const merged = mergeOrderedDelta(shown, delta!, f)!;
    const want = matrixOrder(s2, f);
    expect(sortRows(matrixRows(merged), { key: f.sort, dir: f.dir }).map((r) => r.key)).toEqual(want);
    expect(merged.page.matching).toBe(want.length);
    expect(want.length).toBe(44);
  });
});
