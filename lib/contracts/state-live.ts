// The fleet state for the browser in pages and deltas (issue 26): GET /api/v1/state?limit=&cursor=
// answers the headline and one page of projects in (host, project) order; the event stream carries
// what changed since its previous event. Pure: the server builds both, the browser merges them.
import { z } from "zod";
import type { ApiProject, ApiState } from "./state";

/** The overview's first screen of matrix rows, and the most one page may hold. */
export const STATE_FIRST_PAGE = 100;
export const STATE_PAGE_MAX = 500;

export const statePageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(STATE_PAGE_MAX),
  /** the last row of the previous page: JSON [host, project] */
  cursor: z
    .string()
    .max(2000)
    .transform((s, ctx) => {
      try {
        return z.tuple([z.string(), z.string()]).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: "custom", message: "cursor: not a page cursor" });
        return z.NEVER;
      }
    })
    .optional(),
});

export type StatePage = { limit: number; next_cursor: string | null; total_projects: number };
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
