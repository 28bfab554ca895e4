"use client";
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";
import { kindTitle } from "@/lib/ui/kinds";
import Link from "next/link";
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import type { ApiState } from "@/lib/contracts/state";
import { FINDING_KINDS } from "@/lib/core/types";
import {
  filterRows,
  stateHosts,
  matrixColumns,
  staleColumns,
  matrixRows,
  sortRows,
  type MatrixRow,
  type SortKey,
} from "@/lib/ui/matrix";
import type { ViewPatch, ViewState } from "@/lib/ui/url";
import { since } from "@/lib/ui/format";
import { useMounted } from "@/lib/hooks/useMounted";

const HEALTH_LABEL = {
  consistent: "consistent",
  warning: "warning",
  diverged: "diverged",
  unknown: "unknown",
} as const;

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
  // A server's state names all its hosts, also when narrowed to one of them.
  const hosts = stateHosts(state);
  const mounted = useMounted();
  const all = useMemo(() => matrixRows(state), [state]);
  const rows = useMemo(
    () => sortRows(filterRows(all, view.filters), view.sort),
    [all, view.filters, view.sort],
  );
  const f = view.filters;
  return (
    <>
      <div className="filters" role="search" aria-label="Filter projects">
        <SearchBox value={f.q} onCommit={(q) => set({ filters: { q } })} />
        {hosts ? (
          <label>
            Host{" "}
            <select
              aria-label="Filter by host"
              value={view.host}
              onChange={(e) => set({ host: e.target.value })}
            >
              <option value="">all {hosts.length} hosts</option>
              {hosts.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Health{" "}
          <select
            aria-label="Filter by health"
            value={f.health}
            onChange={(e) => set({ filters: { ...f, health: e.target.value as typeof f.health } })}
          >
            <option value="">all</option>
            {Object.keys(HEALTH_LABEL).map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <label>
          Finding{" "}
          <select
            aria-label="Filter by finding kind"
            value={f.kind}
            onChange={(e) => set({ filters: { ...f, kind: e.target.value as typeof f.kind } })}
          >
            <option value="">any</option>
            {FINDING_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          Source{" "}
          <select
            aria-label="Filter by source"
            value={f.source}
            onChange={(e) => set({ filters: { ...f, source: e.target.value } })}
          >
            <option value="">any</option>
            {columns.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={f.labels}
            onChange={(e) => set({ filters: { ...f, labels: e.target.checked } })}
          />{" "}
          label problems
        </label>
        {/* elementtiming: bench:ui reads when the browser painted this (the Element Timing API). */}
        <span className="muted" aria-live="polite" {...{ elementtiming: "matrix-count" }}>
          {rows.length} of {all.length} projects
        </span>
        {filtersActive(f) || view.host ? (
          <button type="button" className="linkish" onClick={() => set({ filters: NO_FILTERS, host: "" })}>
            Clear filters
          </button>
        ) : null}
      </div>
      <div className="matrix-wrap">
        <table
          className="matrix"
          data-testid="health-matrix"
          aria-rowcount={rows.length + 1}
          data-rows={rows.length}
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
                  {c === "docker" ? "Docker" : c}
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
      </div>
    </>
  );
}

/**
 * Above this many rows only the rows near the viewport are in the DOM (plus a spacer row above
 * and below), so 2,000 projects cost what 60 do. Below it every row is rendered, so the
 * browser's own find (Ctrl+F) sees them all; above it the search box is the way to find one.
 */
export const VIRTUAL_ABOVE = 150;
const ROW_ESTIMATE_PX = 29;

function MatrixBody({
  rows,
  editor,
  mounted,
  now,
  width,
  showHost,
}: {
  rows: MatrixRow[];
  editor: boolean;
  mounted: boolean;
  now: Date;
  width: number;
  showHost: boolean;
}) {
  const body = useRef<HTMLTableSectionElement>(null);
  const [offset, setOffset] = useState(0);
  const virtual = rows.length > VIRTUAL_ABOVE;
  useLayoutEffect(() => {
    const el = body.current;
    if (!el || !virtual) return;
    const measure = () => setOffset(el.getBoundingClientRect().top + window.scrollY);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(document.body);
    return () => ro.disconnect();
  }, [virtual]);
  const v = useWindowVirtualizer({
    count: rows.length,
    enabled: virtual,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: 10,
    scrollMargin: offset,
    initialRect: { width: 1280, height: 1000 },
  });
  const row = (r: MatrixRow, index: number) => (
    <Row
      key={r.key}
      r={r}
      index={index}
      showHost={showHost}
      groupStart={showHost && (index === 0 || rows[index - 1]?.host !== r.host)}
      editor={editor}
      measure={virtual ? v.measureElement : undefined}
      sinceText={
        mounted && r.since && r.health !== "consistent" ? `${r.health} for ${since(r.since, now)}` : ""
      }
    />
  );
  if (!virtual) return <tbody ref={body}>{rows.map(row)}</tbody>;
  const items = v.getVirtualItems();
  const top = (items[0]?.start ?? offset) - offset;
  const bottom = v.getTotalSize() - ((items.at(-1)?.end ?? offset) - offset);
  return (
    <tbody ref={body}>
      {top > 0 ? <Spacer height={top} width={width} /> : null}
      {items.map((item) => row(rows[item.index]!, item.index))}
      {bottom > 0 ? <Spacer height={bottom} width={width} /> : null}
    </tbody>
  );
}

function Spacer({ height, width }: { height: number; width: number }) {
  return (
    <tr aria-hidden="true" className="spacer" style={{ height }}>
      <td colSpan={width} />
    </tr>
  );
}

/** One project's row; memoised so a refresh re-renders only the rows whose data changed. */
const NO_FILTERS: ViewState["filters"] = { health: "", kind: "", source: "", labels: false, q: "" };
const filtersActive = (f: ViewState["filters"]) => !!(f.health || f.kind || f.source || f.labels || f.q);

/**
 * The search box keeps its own text, so no keystroke is lost while the URL catches up; the
 * URL is written 250 ms after the last key. A change of the URL from elsewhere (Clear filters,
 * back) shows here unless the box has focus.
 */
function SearchBox({ value, onCommit }: { value: string; onCommit: (q: string) => void }) {
  const [text, setText] = useState(value);
  const focused = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!focused.current) setText(value);
  }, [value]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return (
    <input
      type="search"
      placeholder="Search project, id or port…"
      aria-label="Search projects"
      value={text}
      onFocus={() => (focused.current = true)}
      onBlur={() => (focused.current = false)}
      onChange={(e) => {
        const q = e.target.value;
        setText(q);
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => onCommit(q), 250);
      }}
    />
  );
}

const Row = memo(function Row({
  r,
  index,
  sinceText,
  editor,
  measure,
  showHost,
  groupStart,
}: {
  r: MatrixRow;
  index: number;
  sinceText: string;
  editor: boolean;
  measure: ((el: Element | null) => void) | undefined;
  showHost: boolean;
  groupStart: boolean;
}) {
  const href = `/projects/${encodeURIComponent(r.project)}${r.host ? `?host=${encodeURIComponent(r.host)}` : ""}`;
  return (
    <tr
      ref={measure}
      data-index={index}
      aria-rowindex={index + 2}
      data-project={r.project}
      data-host={r.host ?? undefined}
      data-health={r.health}
      className={groupStart ? "host-first" : undefined}
    >
      <th scope="row">
        <Link href={href}>{r.project}</Link>
      </th>
      {showHost ? <td className="mono nowrap">{r.host}</td> : null}
      <td>
        <span className={`badge h-${r.health}`}>{HEALTH_LABEL[r.health]}</span>
      </td>
      <td className="muted nowrap">{sinceText}</td>
      {r.cells.map((c) => (
        <td
          key={c.source}
          className={`cell s-${c.status}${c.acknowledged ? " s-acknowledged" : ""}`}
          data-source={c.source}
          title={(c.kinds.join(", ") || c.status) + (c.acknowledged ? " (acknowledged)" : "")}
          tabIndex={c.kinds.length ? 0 : undefined}
        >
          <span className="mono">{c.value}</span>
          {c.kinds.map((k) => (
            <span key={k} className="kind" title={kindTitle(k)}>
              {k}
            </span>
          ))}
          {c.acknowledged ? <span className="muted"> acknowledged</span> : null}
          {c.kinds.length ? (
            <span className="sr-only">: {c.kinds.map((k) => kindTitle(k)).join(" ")}</span>
          ) : null}
          {c.status === "diverged" && !c.acknowledged && editor ? (
            <Link className="linkish ack-link" href={`${href}#findings`}>
              acknowledge…
            </Link>
          ) : null}
        </td>
      ))}
    </tr>
  );
});
