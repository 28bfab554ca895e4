// The fleet state for the browser in pages and deltas (issue 26): GET /api/v1/state?limit=&cursor=
// answers the headline and one page of projects in (host, project) order; the event stream carries
// what changed since its previous event. Pure: the server builds both, the browser merges them.
import type { ApiProject, ApiState } from "./state";
import { FINDING_KINDS } from "../core/types";

/** The overview's first screen of matrix rows, and the most one page may hold. */
export const STATE_FIRST_PAGE = 100;
export const STATE_PAGE_MAX = 500;

/** The matrix's sorts and filters the server pages by (`?sort=`…): the overview's own view. */
export const STATE_SORTS = ["project", "health", "since", "findings"] as const;
export const STATE_HEALTHS = ["consistent", "warning", "diverged", "unknown"] as const;
export const STATE_Q_MAX = 200;

/** A page cursor in a sort: the last row's key [host, value, project] (lib/contracts/state-query.ts). */
export type OrderedCursor = [string, string | number, string];

/** A view of the matrix the server pages by: the query `stateOrderQuery` checks. */
export type StateOrder = {
  sort: (typeof STATE_SORTS)[number];
  dir: "asc" | "desc";
  health?: (typeof STATE_HEALTHS)[number];
  kind?: (typeof FINDING_KINDS)[number];
  source?: string;
  labels?: "1" | "0";
  q?: string;
  cursor?: OrderedCursor;
};

/** The view a paged state was asked in, as a query string (the browser keys its cache by it). */
export function orderText(o: Omit<StateOrder, "cursor" | "dir"> & { dir?: "asc" | "desc" }): string {
  const q = new URLSearchParams({ sort: o.sort, dir: o.dir ?? "asc" });
  if (o.health) q.set("health", o.health);
  if (o.kind) q.set("kind", o.kind);
  if (o.source) q.set("source", o.source);
  if (o.labels === "1") q.set("labels", "1");
  if (o.q?.trim()) q.set("q", o.q);
  return q.toString();
}

/**
 * orderText read back (from a query key): null when it is not one. Without zod, which the
 * server's query check (lib/contracts/state-query.ts) uses: this runs in every page's bundle.
 */
export function parseOrderText(text: string): StateOrder | null {
  const q = new URLSearchParams(text);
  const sort = q.get("sort");
  const dir = q.get("dir") ?? "asc";
  if (!STATE_SORTS.some((s) => s === sort) || (dir !== "asc" && dir !== "desc")) return null;
  const o: StateOrder = { sort: sort as StateOrder["sort"], dir };
  const health = q.get("health");
  const kind = q.get("kind");
  const source = q.get("source");
  const labels = q.get("labels");
  const text_ = q.get("q");
  if (health !== null) {
    if (!STATE_HEALTHS.some((h) => h === health)) return null;
    o.health = health as StateOrder["health"];
  }
  if (kind !== null) {
    if (!FINDING_KINDS.some((k) => k === kind)) return null;
    o.kind = kind as StateOrder["kind"];
  }
  if (source !== null) {
    if (source.length < 1 || source.length > 200) return null;
    o.source = source;
  }
  if (labels !== null) {
    if (labels !== "1" && labels !== "0") return null;
    o.labels = labels;
  }
  if (text_ !== null) {
    if (text_.length > STATE_Q_MAX) return null;
    o.q = text_;
  }
  return q.has("cursor") ? null : o;
}

/** Whether a view narrows the rows (then a count of matching rows is the server's to say). */
export const orderFilters = (o: Pick<StateOrder, "health" | "kind" | "source" | "labels" | "q">) =>
  !!(o.health || o.kind || o.source || o.labels === "1" || o.q?.trim());

export type StatePage = {
  limit: number;
  next_cursor: string | null;
  total_projects: number;
  /** with `?sort=`: the projects the view's filters keep (all of them without filters) */
  matching?: number;
  /** with `?sort=`: the view (orderText) the page is in */
  order?: string;
};
/** A page of the state: every field of ApiState, `projects` one page of them. */
export type ApiStatePage = ApiState & { page: StatePage };

type Key = readonly [string, string];
const keyOf = (p: Pick<ApiProject, "host" | "project">): Key => [p.host ?? "", p.project];
const before = (a: Key, b: Key) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
const keyText = (p: Pick<ApiProject, "host" | "project">) => JSON.stringify(keyOf(p));

/** The projects after `cursor` in (host, project) order, at most `limit`, with the next cursor. */
export function pageOf(state: ApiState, limit: number, cursor?: readonly [string, string]): ApiStatePage {
  const sorted = [...state.projects].sort((a, b) => (before(keyOf(a), keyOf(b)) ? -1 : 1));
  const rest = cursor ? sorted.filter((p) => before(cursor, keyOf(p))) : sorted;
  const projects = rest.slice(0, limit);
  const last = projects.at(-1);
  return {
    ...state,
    projects,
    page: {
      limit,
      next_cursor: rest.length > limit && last ? keyText(last) : null,
      total_projects: state.projects.length,
    },
  };
}

/** What changed between two events of the stream: all but the projects, and the projects that moved. */
export type ApiStateDelta = Omit<ApiState, "projects"> & {
  /** the poll id of the previous event: a page showing another one fetches instead */
  base_poll_id: number | null;
  changed_projects: ApiProject[];
  removed_projects: { host?: string; project: string }[];
};

/** Each project's JSON by its key: what the next event's delta compares with. */
export const projectTexts = (state: ApiState) =>
  new Map(state.projects.map((p) => [keyText(p), JSON.stringify(p)]));

/**
 * `prev`: each project's JSON at the previous event (null: none); `projects`: the state's own
 * (computed once for every connection). Returns the delta and what the next event compares with.
 */
export function diffState(
  prev: { pollId: number | null; projects: Map<string, string> } | null,
  state: ApiState,
  projects: Map<string, string> = projectTexts(state),
): { delta: ApiStateDelta | null; next: { pollId: number | null; projects: Map<string, string> } } {
  const next = { pollId: state.poll_id, projects };
  if (!prev) return { delta: null, next };
  const { projects: all, ...rest } = state;
  const changed = all.filter((p) => prev.projects.get(keyText(p)) !== projects.get(keyText(p)));
  const removed = [...prev.projects.keys()]
    .filter((k) => !projects.has(k))
    .map((k) => {
      const [host, project] = JSON.parse(k) as [string, string];
      return host ? { host, project } : { project };
    });
  return {
    delta: { ...rest, base_poll_id: prev.pollId, changed_projects: changed, removed_projects: removed },
    next,
  };
}

/** A shown state (whole or some pages) with a delta applied: changed rows replaced or added, removed ones gone. */
export function applyDelta<S extends ApiState>(shown: S, delta: ApiStateDelta): S {
  const { base_poll_id: _base, changed_projects, removed_projects, ...rest } = delta;
  const gone = new Set([...removed_projects, ...changed_projects].map(keyText));
  const projects = [...shown.projects.filter((p) => !gone.has(keyText(p))), ...changed_projects];
  return { ...shown, ...rest, projects };
}

/** Pages merged: the next page's rows after the shown ones (none twice), its cursor. */
export function mergePage<S extends ApiState & { page?: StatePage }>(shown: S, next: ApiStatePage): S {
  const have = new Set(shown.projects.map(keyText));
  return {
    ...shown,
    projects: [...shown.projects, ...next.projects.filter((p) => !have.has(keyText(p)))],
    page: next.page,
  };
}
