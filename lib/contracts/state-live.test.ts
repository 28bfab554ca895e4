// Pages and deltas of the fleet state (issue 26): a walk over the pages gives every project once,
// a page is bounded, and a shown state with each delta applied is the state the server holds.
import { describe, expect, test } from "vitest";
import type { ApiProject, ApiState } from "./state";
import { applyDelta, diffState, mergePage, pageOf, STATE_PAGE_MAX } from "./state-live";
import { statePageQuery } from "./state-query";

const project = (host: string, name: string, health: ApiProject["health"] = "consistent"): ApiProject => ({
  project: name,
  host,
  health,
  docker_status: "ok" as ApiProject["docker_status"],
  containers: [],
  checks: [],
  findings: [],
  sources: {},
});

function state(pollId: number, projects: ApiProject[], diverged = 0): ApiState {
  return {
    polled_at: new Date(Date.UTC(2026, 11, 1, 0, 0, pollId)).toISOString(),
    poll_id: pollId,
    simulated: false,
    docker: { reachable: true, endpoint: "unix:///d.sock", latency_ms: 1, error: null, last_ok_at: null },
    sources: [],
    summary: {
      checks: projects.length,
      diverged,
      divergence_rate: 0,
      diverged_acknowledged: 0,
      divergence_rate_acknowledged: 0,
      acknowledgements_in_force: 0,
      projects: projects.length,
      health: {
        consistent: projects.length,
        diverged,
        warning: 0,
        unknown: 0,
      } as ApiState["summary"]["health"],
    },
    projects,
    unassigned_containers: [],
    collector: { poll_interval_ms: 5000, duration_ms: 1 },
  };
}

// 3 hosts x 40 projects, in no order (the walk orders them by host, then project)
const fleet = ["cy", "ana", "bo"].flatMap((h) =>
  Array.from({ length: 40 }, (_, i) => project(h, `p${String((i * 17) % 40).padStart(2, "0")}`)),
);

describe("the fleet state in pages", () => {
  test("walking the cursor gives every project once, in (host, project) order", () => {
    const s = state(1, fleet);
    let page = pageOf(s, 25);
    const seen = [...page.projects];
    let pages = 1;
    while (page.page.next_cursor) {
      const cursor = statePageQuery.parse({ limit: "25", cursor: page.page.next_cursor }).cursor;
      page = pageOf(s, 25, cursor);
      seen.push(...page.projects);
      pages += 1;
    }
    expect(pages).toBe(5);
    expect(page.page.total_projects).toBe(120);
    const keys = seen.map((p) => `${p.host}/${p.project}`);
    expect(new Set(keys).size).toBe(120);
    expect(keys).toEqual([...keys].sort());
    expect(keys[0]).toBe("ana/p00");
    // the headline is the whole fleet's on every page
    expect(page.summary.projects).toBe(120);
  });

  test("a page is bounded and a bad cursor is refused", () => {
    expect(statePageQuery.safeParse({ limit: String(STATE_PAGE_MAX + 1) }).success).toBe(false);
    expect(statePageQuery.safeParse({ limit: "0" }).success).toBe(false);
    expect(statePageQuery.safeParse({ limit: "10", cursor: "not json" }).success).toBe(false);
    expect(statePageQuery.safeParse({ limit: "10", cursor: '["a"]' }).success).toBe(false);
  });

  test("merged pages hold no project twice", () => {
    const s = state(1, fleet);
    const first = pageOf(s, 50);
    const twice = mergePage(mergePage(first, pageOf(s, 50, ["ana", "p39"])), pageOf(s, 50, ["ana", "p39"]));
    expect(twice.projects.length).toBe(90);
  });
});

describe("deltas of the event stream", () => {
  test("the first event has none; each later one turns the shown state into the server's", () => {
    const s1 = state(1, fleet);
    const first = diffState(null, s1);
    expect(first.delta).toBeNull();
    // poll 2: one project diverged, one removed, one new; the headline moved
    const changed = fleet
      .filter((p) => !(p.host === "bo" && p.project === "p03"))
      .map((p) => (p.host === "ana" && p.project === "p07" ? { ...p, health: "diverged" as const } : p));
    const s2 = state(2, [...changed, project("dee", "new")], 1);
    const second = diffState(first.next, s2);
    const d = second.delta!;
    expect(d.base_poll_id).toBe(1);
    expect(d.changed_projects.map((p) => `${p.host}/${p.project}`).sort()).toEqual(["ana/p07", "dee/new"]);
    expect(d.removed_projects).toEqual([{ host: "bo", project: "p03" }]);
    expect(d).not.toHaveProperty("projects");

    const key = (p: ApiProject) => `${p.host}/${p.project}`;
    const sorted = (x: ApiState) => ({
      ...x,
      projects: [...x.projects].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
    });
    expect(sorted(applyDelta(s1, d))).toEqual(sorted(s2));
    // a shown first page follows too: its changed row replaced, the headline the fleet's
    const shown = applyDelta(pageOf(s1, 30), d);
    expect(shown.summary.diverged).toBe(1);
    expect(shown.poll_id).toBe(2);
    expect(shown.projects.find((p) => key(p) === "ana/p07")?.health).toBe("diverged");
    // nothing changed: a delta with no rows
    expect(diffState(second.next, { ...s2, poll_id: 3 }).delta?.changed_projects).toEqual([]);
  });
});
