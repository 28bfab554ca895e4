"use client";
// A project's page: its figures, side by side (project/SideBySide), episodes, containers, raw JSON.
import { useOverviewHref } from "@/lib/hooks/useOverviewHref";
import Link from "next/link";
import { useState } from "react";
import { useView } from "@/lib/hooks/useView";
import { useRange } from "@/lib/hooks/useRange";
import { useProjectQuery, useStateQuery } from "@/lib/hooks/queries";
import { sideBySide } from "@/lib/ui/project";
import { pct } from "@/lib/ui/format";
import { FetchError } from "@/lib/query";
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";
import { RangePicker } from "./RangePicker";
import { Freshness } from "./Freshness";
import { Panel } from "./Panel";
import { ContainersTable } from "./project/ContainersTable";
import { Episodes } from "./project/Episodes";
import { SideBySide } from "./project/SideBySide";
import dynamic from "next/dynamic";

// Recharts loads after the page's tables, and only on this page.
const ProjectChart = dynamic(() => import("./project/ProjectChart").then((m) => m.ProjectChart), {
  ssr: false,
  loading: () => <p className="muted">Loading…</p>,
});

export function ProjectView({ name }: { name: string }) {
  const [view, set] = useView();
  const range = useRange(view);
  const overviewHref = useOverviewHref();
  const q = useProjectQuery(name, range, view.refresh, view.host);
  const state = useStateQuery(view.refresh, null, view.host);
  const d = q.data;
  const notFound = q.error instanceof FetchError && q.error.status === 404;
  const [copied, setCopied] = useState(false);
  const editor = useSessionQuery().data?.person?.editor === true;
  const table = d?.current ? sideBySide(d.current) : null;
  const zoom = (from: number, to: number) =>
    set({ range: "custom", from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  return (
    <div className="page">
      <p className="crumbs">
        <Link href={overviewHref}>Overview</Link> / {d?.host ? `${d.host} / ` : ""}
        {name}
      </p>
      <div className="page-head">
        <h1>
          {name}{" "}
          {d?.current ? <span className={`badge h-${d.current.health}`}>{d.current.health}</span> : null}
          {d?.current?.checks.some((c) => c.in_flight) ? (
            <span className="muted" data-testid="project-in-flight">
              {" "}
              · in flight
            </span>
          ) : null}
        </h1>
        <Freshness
          state={state.data}
          refresh={view.refresh}
          onRefresh={(refresh) => set({ refresh })}
          fetching={q.isFetching}
        />
      </div>
      {notFound ? (
        <p className="error" role="alert">
          No project named “{name}” in Docker, any source or stored history.
        </p>
      ) : (
        <>
          <div className="toolbar">
            <RangePicker view={view} set={set} />
            {range.error ? (
              <p className="banner banner-bad" role="alert" data-testid="range-error">
                {range.error}
              </p>
            ) : null}
          </div>
          <div className="strip">
            <div className="figure">
              <div className="figure-label">Divergence in range</div>
              <div className="figure-value">{d ? pct(d.checks ? d.divergence_rate : null) : "…"}</div>
              <div className="figure-sub">{d ? `${d.diverged} of ${d.checks} checks` : ""}</div>
            </div>
            <div className="figure">
              <div className="figure-label">Finding episodes in range</div>
              <div className="figure-value">{d ? d.episodes.length : "…"}</div>
              <div className="figure-sub">
                {d ? `${d.episodes.filter((e) => !e.closed_at).length} open now` : ""}
              </div>
            </div>
          </div>
          <Panel
            title="Side by side"
            loading={q.isPending}
            error={notFound ? null : q.error}
            empty={!!d && !d.current}
            emptyText="Not present in the latest poll (history below)."
          >
            {table ? <SideBySide name={name} table={table} current={d?.current} editor={editor} /> : null}
          </Panel>
          <Panel
            title="Finding episodes"
            loading={q.isPending}
            error={null}
            empty={!!d && d.episodes.length === 0}
            emptyText="No findings in this range."
          >
            {d ? <Episodes episodes={d.episodes} from={d.from} to={d.to} /> : null}
          </Panel>
          <Panel
            title="Open findings over time"
            loading={q.isPending}
            error={null}
            empty={!!d && d.episodes.length === 0}
            emptyText="No findings in this range."
            minHeight={200}
          >
            {d ? <ProjectChart episodes={d.episodes} from={d.from} to={d.to} onZoom={zoom} /> : null}
          </Panel>
          <Panel
            title="Containers"
            loading={q.isPending}
            error={null}
            empty={!!d && d.containers_history.length === 0}
            emptyText="No container seen for this project in this range."
          >
            <ContainersTable containers={d?.containers_history} />
          </Panel>
          <Panel
            title="Latest poll (raw JSON)"
            loading={q.isPending}
            error={null}
            empty={!d?.current}
            emptyText="—"
          >
            <button
              type="button"
              onClick={() => {
                void navigator.clipboard
                  ?.writeText(JSON.stringify(d?.current, null, 2))
                  .then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy JSON"}
            </button>
            <pre className="raw" tabIndex={0} aria-label="Raw JSON of the project's entry in the latest poll">
              {JSON.stringify(d?.current, null, 2)}
            </pre>
          </Panel>
        </>
      )}
    </div>
  );
}
