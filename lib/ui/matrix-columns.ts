// The matrix's columns as a person reads them (issue 27): live places first, every ended or
// silent orchestrator process folded into one column, human names with the id as the title.
// Pure: rows come from lib/ui/matrix, this only regroups their cells.
import type { ApiSource, ApiState } from "../contracts/state";
import { UNION_COLUMN, type Cell, type MatrixRow } from "./matrix";

/** The one column that stands for every ended or stale process. */
export const FOLD_COLUMN = "ended-or-stale";

/** Processes that hold nothing any more (CONTRACT 6b, 7a): ended cleanly, or gone silent. */
export function endedOrStale(state: ApiState): ApiSource[] {
  // A server's columns are places across hosts; its stale instances are marked in their cells.
  if (state.role === "server") return [];
  return state.sources
    .filter((s) => s.kind === "active_indexers" && (s.status === "stale" || s.status === "ended"))
    .sort((a, b) => (b.last_seen ?? "").localeCompare(a.last_seen ?? "") || a.id.localeCompare(b.id));
}

/** The header of the folded column: "3 ended/stale processes". */
export function foldLabel(n: number): string {
  return `${n} ended/stale process${n === 1 ? "" : "es"}`;
}

/**
 * The columns shown: `all` (lib/ui/matrix `matrixColumns`, in its order) without the ended and
 * stale processes, which become one column after the live ones; `expanded` lists them instead.
 */
export function shownColumns(all: string[], state: ApiState, expanded: boolean): string[] {
  const folded = endedOrStale(state);
  if (folded.length === 0) return all;
  const ids = new Set(folded.map((s) => s.id));
  const live = all.filter((c) => !ids.has(c));
  if (!expanded) return [...live, FOLD_COLUMN];
  return [...live, FOLD_COLUMN, ...folded.map((s) => s.id)];
}

/** Each row's cells for `columns`: the folded column says how many of those processes list it. */
export function foldRows(rows: MatrixRow[], state: ApiState, columns: string[]): MatrixRow[] {
  const folded = endedOrStale(state);
  if (folded.length === 0) return rows;
  const want = new Set(columns);
  return rows.map((r) => {
    const byId = new Map(r.cells.map((c) => [c.source, c]));
    const project = state.projects.find((p) => p.project === r.project && (p.host ?? null) === r.host);
    const listed = folded.filter((s) => project?.sources[s.id]);
    const fold: Cell = {
      source: FOLD_COLUMN,
      value: listed.length ? `listed by ${listed.length}` : "—",
      status: "absent",
      kinds: [],
    };
    const cells = columns.map(
      (c) =>
        (c === FOLD_COLUMN ? fold : byId.get(c)) ?? {
          source: c,
          value: folded.find((s) => s.id === c)?.status ?? "—",
          status: "absent" as const,
          kinds: [],
        },
    );
    return want.size === r.cells.length && cells.every((c, i) => c === r.cells[i]) ? r : { ...r, cells };
  });
}

export type ColumnName = { label: string; title: string };

/**
 * Human names: "Docker", "Registry file", "Orchestrator 1", "Orchestrator 2" (live processes
 * by start time), "no live orchestrator"; the source id is the title.
 */
export function columnNames(state: ApiState, columns: string[]): Map<string, ColumnName> {
  const names = new Map<string, ColumnName>();
  const kind = new Map(state.sources.map((s) => [s.id, s]));
  let n = 0;
  const folded = endedOrStale(state);
  for (const c of columns) {
    const s = kind.get(c);
    let label = c;
    if (c === "docker") label = "Docker";
    else if (c === UNION_COLUMN) label = "no live orchestrator";
    else if (c === FOLD_COLUMN) label = foldLabel(folded.length);
    else if (s?.kind === "registry_file") label = "Registry file";
    else if (s?.kind === "active_indexers" && s.status === "ok") label = `Orchestrator ${++n}`;
    else if (s?.kind === "active_indexers") label = `${s.status} ${c.replace(/^active_indexers:/, "")}`;
    else if (/^orchestrator \d+$/.test(c)) label = c.replace(/^o/, "O");
    else if (c === "registry") label = "Registry file";
    const title = c === FOLD_COLUMN ? folded.map((f) => `${f.id} (${f.status})`).join(", ") : c;
    names.set(c, { label, title });
  }
  return names;
}
