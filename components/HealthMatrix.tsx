"use client";
// The health matrix: its toolbar (matrix/MatrixFilters), sortable header and body (matrix/MatrixBody).
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";
import { useMemo, useState } from "react";
import type { ApiState } from "@/lib/contracts/state";
import { filterRows, stateHosts, matrixColumns, matrixRows, sortRows, type SortKey } from "@/lib/ui/matrix";
import type { ViewPatch, ViewState } from "@/lib/ui/url";
import { useMounted } from "@/lib/hooks/useMounted";
import { columnModes } from "@/lib/ui/modes";
import { useStatePages } from "@/lib/hooks/useStatePages";
import { MatrixBody } from "./matrix/MatrixBody";
import { MatrixFilters } from "./matrix/MatrixFilters";
import { columnNames, FOLD_COLUMN, foldRows, shownColumns } from "@/lib/ui/matrix-columns";
import { holdOrder, rowsToMove } from "@/lib/ui/stable-order";
import type { StatePage } from "@/lib/contracts/state-live";
import { viewOrder } from "@/lib/ui/state-order";

export { VIRTUAL_ABOVE } from "./matrix/MatrixBody";

function SortHeader({
  k,
  label,
  view,
  set,
}: {
  k: SortKey;
  label: string;
  view: ViewState;
  set: (v: ViewPatch) => void;
}) {
  const active = view.sort.key === k;
  const dir = active ? view.sort.dir : undefined;
  return (
    <th scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}>
      <button
        type="button"
        className="th-sort"
        onClick={() => set({ sort: { key: k, dir: active && dir === "asc" ? "desc" : "asc" } })}
      >
        {label} {active ? (dir === "asc" ? "▲" : "▼") : ""}
      </button>
    </th>
  );
}

/** A place's header: its human name, the id as title; the folded column opens and closes. */
function ColumnHeader({
  column,
  name,
  expanded,
  toggle,
  mode,
}: {
  column: string;
  name: { label: string; title: string } | undefined;
  expanded: boolean;
  toggle: () => void;
  /** issue 25: the process's mode and code version, when it reports them */
  mode?: string | undefined;
}) {
  if (column === FOLD_COLUMN)
    return (
      <th scope="col" className="col-fold">
        <button
          type="button"
          className="th-sort"
          aria-expanded={expanded}
          title={name?.title}
          onClick={toggle}
        >
          {name?.label} {expanded ? "◂" : "▸"}
        </button>
      </th>
    );
  return (
    <th scope="col">
      <span title={name?.title ?? column}>{name?.label ?? column}</span>
      {mode ? <span className="badge mode-badge"> {mode}</span> : null}
    </th>
  );
}

/** One row per project, one column per place; each cell the value it holds and its finding kinds. */
export function HealthMatrix({
  state,
  view,
  set,
  now,
}: {
  state: ApiState;
  view: ViewState;
  set: (v: ViewPatch) => void;
  now: Date;
}) {
  const editor = useSessionQuery().data?.person?.editor === true;
  const [expanded, setExpanded] = useState(false);
  const [held, setHeld] = useState<string[] | null>(null);
  const columns = useMemo(() => shownColumns(matrixColumns(state), state, expanded), [state, expanded]);
  const names = useMemo(() => columnNames(state, columns), [state, columns]);
  const modes = columnModes(state);
  // A server's state names all its hosts, also when narrowed to one of them.
  const hosts = stateHosts(state);
  const mounted = useMounted();
  const all = useMemo(() => matrixRows(state), [state]);
  // A paged state (the overview): the server pages in this view's order, more rows on scroll.
  const page = (state as ApiState & { page?: StatePage }).page;
  const more = useStatePages(state, view.host, viewOrder(view));
  const live = useMemo(
    () => foldRows(sortRows(filterRows(all, view.filters), view.sort), state, columns),
    [all, view.filters, view.sort, state, columns],
  );
  const rows = useMemo(() => holdOrder(live, held), [live, held]);
  const waiting = held ? rowsToMove(rows, live) : 0;
  // The view's rows on the server; those not loaded yet wait below the loaded ones.
  const matching = page?.matching ?? rows.length;
  const pending = page?.next_cursor ? Math.max(1, matching - rows.length) : 0;
  return (
    <>
      <MatrixFilters
        view={view}
        set={set}
        hosts={hosts}
        columns={columns.filter((c) => c !== FOLD_COLUMN)}
        names={names}
        shown={matching}
        total={page?.total_projects ?? all.length}
      />
      <p className="muted matrix-held" aria-live="polite" data-testid="matrix-held">
        {waiting ? `Order held while the pointer is on the table: ${waiting} rows move when it leaves.` : ""}
      </p>
      <div
        className="matrix-wrap"
        onPointerEnter={() => setHeld(live.map((r) => r.key))}
        onPointerLeave={() => setHeld(null)}
      >
        <table
          className="matrix"
          data-testid="health-matrix"
          aria-rowcount={matching + 1}
          data-rows={rows.length}
          data-poll-id={state.poll_id ?? ""}
        >
          <caption className="sr-only">
            Project health by place: Docker, the registry file and each orchestrator instance
          </caption>
          <thead>
            <tr>
              <SortHeader k="project" label="Project" view={view} set={set} />
              {hosts ? <th scope="col">Host</th> : null}
              <SortHeader k="health" label="Health" view={view} set={set} />
              <SortHeader k="since" label="For" view={view} set={set} />
              {columns.map((c) => (
                <ColumnHeader
                  key={c}
                  column={c}
                  name={names.get(c)}
                  mode={modes.get(c)}
                  expanded={expanded}
                  toggle={() => setExpanded(!expanded)}
                />
              ))}
            </tr>
          </thead>
          <MatrixBody
            rows={rows}
            editor={editor}
            mounted={mounted}
            now={now}
            width={(hosts ? 4 : 3) + columns.length}
            showHost={!!hosts}
            pending={pending}
            more={more}
          />
        </table>
      </div>
    </>
  );
}
