"use client";
// The matrix's toolbar: search, host, health, finding kind, source, label problems, the count.
import { useEffect, useRef, useState } from "react";
import { FINDING_KINDS } from "@/lib/core/types";
import type { ViewPatch, ViewState } from "@/lib/ui/url";
import { HEALTH_LABEL } from "./MatrixRow";
import { kindLabel } from "@/lib/ui/kinds";

const NO_FILTERS: ViewState["filters"] = { health: "", kind: "", source: "", labels: false, q: "" };
const filtersActive = (f: ViewState["filters"]) => !!(f.health || f.kind || f.source || f.labels || f.q);

export function MatrixFilters({
  view,
  set,
  hosts,
  columns,
  names,
  shown,
  total,
}: {
  view: ViewState;
  set: (v: ViewPatch) => void;
  hosts: string[] | null;
  columns: string[];
  names?: ReadonlyMap<string, { label: string; title: string }>;
  shown: number;
  total: number;
}) {
  const f = view.filters;
  return (
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
            <option key={k} value={k} title={k}>
              {kindLabel(k)}
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
            <option key={c} value={c} title={c}>
              {names?.get(c)?.label ?? c}
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
        {shown} of {total} projects
      </span>
      {filtersActive(f) || view.host ? (
        <button type="button" className="linkish" onClick={() => set({ filters: NO_FILTERS, host: "" })}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

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
