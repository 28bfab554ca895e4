"use client";
// The health matrix: its toolbar (matrix/MatrixFilters), sortable header and body (matrix/MatrixBody).
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";
import { useMemo } from "react";
import type { ApiState } from "@/lib/contracts/state";
import {
  filterRows,
  stateHosts,
  columnLabel,
  matrixColumns,
  staleColumns,
  matrixRows,
  sortRows,
  type SortKey,
} from "@/lib/ui/matrix";
import type { ViewPatch, ViewState } from "@/lib/ui/url";
import { useMounted } from "@/lib/hooks/useMounted";
import { columnModes } from "@/lib/ui/modes";
import { useStatePages } from "@/lib/hooks/useStatePages";
import { MatrixBody } from "./matrix/MatrixBody";
import { MatrixFilters } from "./matrix/MatrixFilters";

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
  const columns = matrixColumns(state);
  const stale = staleColumns(state);
  const modes = columnModes(state);
  // A server's state names all its hosts, also when narrowed to one of them.
  const hosts = stateHosts(state);
  const mounted = useMounted();
  const all = useMemo(() => matrixRows(state), [state]);
  // A paged state (the overview): more rows on scroll, all of them for a filter or another sort.
  const more = useStatePages(
    state,
    view.host,
    Object.values(view.filters).some(Boolean) || view.sort.key !== "project",
  );
  const rows = useMemo(
    () => sortRows(filterRows(all, view.filters), view.sort),
    [all, view.filters, view.sort],
  );
  return (
    <>
      <MatrixFilters
        view={view}
        set={set}
        hosts={hosts}
        columns={columns}
        shown={rows.length}
        total={all.length}
      />
      <div className="matrix-wrap">
        <table
          className="matrix"
          data-testid="health-matrix"
          aria-rowcount={rows.length + 1}
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
                <th key={c} scope="col" className={`mono${stale.has(c) ? " col-stale" : ""}`}>
                  <span title={c}>{columnLabel(c)}</span>
                  {modes.has(c) ? <span className="badge mode-badge"> {modes.get(c)}</span> : null}
                  {stale.has(c) ? <span className="badge st-stale"> silent: may have crashed</span> : null}
                </th>
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
          />
        </table>
        <div ref={more} data-testid="matrix-more" />
      </div>
    </>
  );
}
