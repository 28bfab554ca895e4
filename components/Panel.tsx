"use client";
import type { ReactNode } from "react";

/** One loading / error / empty / content frame for every chart and table. Fixed min-height: no layout shift. */
export function Panel(props: {
  title: string;
  id?: string;
  loading: boolean;
  error: unknown;
  empty: boolean;
  emptyText: ReactNode;
  actions?: ReactNode;
  minHeight?: number;
  children: ReactNode;
}) {
  const { title, loading, error, empty, emptyText, actions, children } = props;
  const id = props.id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return (
    <section className="panel" aria-labelledby={`${id}-title`} aria-busy={loading}>
      <header className="panel-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions}
      </header>
      <div className="panel-body" style={{ minHeight: props.minHeight ?? 0 }}>
        {loading ? (
          <p className="muted" role="status">
            Loading…
          </p>
        ) : error ? (
          <p className="error" role="alert">
            Could not load: {error instanceof Error ? error.message : String(error)}
          </p>
        ) : empty ? (
          <div className="muted">{emptyText}</div>
        ) : (
          children
        )}
      </div>
    </section>
  );
}
