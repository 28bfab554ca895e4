// The fleet state paged in the matrix's own order (issue 26): the server answers the first page
// of the overview's view (its sort, its filters) and the next ones after a cursor; the browser
// merges the stream's deltas into the rows it shows. Pure, and the same code on both sides: the
// rows, filters and sort are lib/ui/matrix's, so a page is what the matrix would have shown.
import type { ApiProject, ApiState } from "../contracts/state";
import {
  applyDelta,
  orderFilters,
  orderText,
  STATE_Q_MAX,
  type ApiStateDelta,
  type ApiStatePage,
  type OrderedCursor,
  type StateOrder,
  type StatePage,
} from "../contracts/state-live";
import {
  compareKeys,
  filterRows,
  matrixRows,
  orderKey,
  sortRows,
  type MatrixFilters,
  type MatrixRow,
  type OrderKey,
} from "./matrix";

/** A view's filters as the matrix reads them. */
export function matrixFiltersOf(
  o: Pick<StateOrder, "health" | "kind" | "source" | "labels" | "q">,
): MatrixFilters {
  return {
    health: o.health ?? "",
    kind: o.kind ?? "",
    source: o.source ?? "",
    labels: o.labels === "1",
    q: o.q ?? "",
  };
}

/** The overview's view (lib/ui/url) as the server's page order. */
export function viewOrder(v: {
  sort: { key: StateOrder["sort"]; dir: StateOrder["dir"] };
  filters: MatrixFilters;
}): StateOrder {
  const f = v.filters;
  return {
    sort: v.sort.key,
    dir: v.sort.dir,
    ...(f.health ? { health: f.health } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.source ? { source: f.source.slice(0, 200) } : {}),
    ...(f.labels ? { labels: "1" as const } : {}),
    ...(f.q.trim() ? { q: f.q.slice(0, STATE_Q_MAX) } : {}),
  };
}

type Ordered = { row: MatrixRow; project: ApiProject }[];
/** Each state's views, sorted once: the pages of one view and every reader of it share them. */
const orderedOf = new WeakMap<ApiState, Map<string, Ordered>>();
const VIEWS_KEPT = 16;

/** The view's rows of `state` in its order, each with its project. */
function ordered(state: ApiState, o: StateOrder): Ordered {
  let views = orderedOf.get(state);
  if (!views) orderedOf.set(state, (views = new Map()));
  const key = orderText(o);
  const kept = views.get(key);
  if (kept) return kept;
  const built = sortOrder(state, o);
  if (views.size >= VIEWS_KEPT) views.delete(views.keys().next().value!);
  views.set(key, built);
  return built;
}

function sortOrder(state: ApiState, o: StateOrder): Ordered {
  const rows = matrixRows(state);
  const of = new Map(rows.map((r, i) => [r, state.projects[i]!]));
  return sortRows(filterRows(rows, matrixFiltersOf(o)), { key: o.sort, dir: o.dir }).map((row) => ({
    row,
    project: of.get(row)!,
  }));
}

const keyText = (k: OrderKey) => JSON.stringify(k);

/**
 * The projects of the view `o` after its cursor, at most `limit`, with the next cursor (the last
 * row's key) and how many projects the view's filters keep.
 */
export function orderedPage(state: ApiState, limit: number, o: StateOrder): ApiStatePage {
  const all = ordered(state, o);
  const cursor = o.cursor as OrderKey | undefined;
  const rest = cursor ? all.filter((x) => compareKeys(orderKey(x.row, o.sort), cursor, o.dir) > 0) : all;
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    ...state,
    projects: page.map((x) => x.project),
    page: {
      limit,
      next_cursor: rest.length > limit && last ? keyText(orderKey(last.row, o.sort)) : null,
      total_projects: state.projects.length,
      matching: all.length,
      order: orderText(o),
    },
  };
}

type Paged = ApiState & { page?: StatePage };

/**
 * A delta merged into the rows a paged view shows. The shown rows are every row of the view up
 * to the cursor (the last shown row's key): a changed project whose new key falls at or before
 * it is merged (the matrix sorts it into its place), one after it leaves the shown rows (its
 * page brings it when the reader scrolls there), one the filters no longer keep leaves too.
 * Without a cursor every row is shown: every change the filters keep is kept, and the count is
 * the rows'. Returns null when the count of matching rows cannot be known from the delta
 * (filters on, rows changed, and rows past the cursor unknown): then fetch again.
 */
export function mergeOrderedDelta<S extends Paged>(shown: S, delta: ApiStateDelta, o: StateOrder): S | null {
  const touched = delta.changed_projects.length + delta.removed_projects.length > 0;
  const filtered = orderFilters(o);
  if (filtered && touched && shown.page?.next_cursor) return null;
  const merged = applyDelta(shown, delta);
  if (!shown.page) return merged;
  const cursor = shown.page.next_cursor ? (JSON.parse(shown.page.next_cursor) as OrderedCursor) : null;
  const changed = new Set(delta.changed_projects);
  const rows = matrixRows(merged);
  const keep = new Set(
    filterRows(rows, matrixFiltersOf(o))
      .filter((r) => !cursor || compareKeys(orderKey(r, o.sort), cursor, o.dir) <= 0)
      .map((r) => r.key),
  );
  const projects = merged.projects.filter((p, i) => !changed.has(p) || keep.has(rows[i]!.key));
  return {
    ...merged,
    projects,
    page: {
      ...shown.page,
      total_projects: delta.summary.projects,
      // Without filters every project matches; with them and no cursor every match is shown.
      matching: filtered ? (touched ? projects.length : shown.page.matching) : delta.summary.projects,
    },
  };
}
