"use client";

import Link from "next/link";
import { useView } from "@/lib/hooks/useView";
import { usePhasesQuery } from "@/lib/hooks/usePhasesQuery";
import { verdictOf } from "@/lib/ui/verdict";
import { useNow } from "@/lib/hooks/useNow";
import { useRange } from "@/lib/hooks/useRange";
import { useOverviewQuery, useSeriesQuery, useStateQuery } from "@/lib/hooks/queries";
import { Freshness } from "./Freshness";
import { HeadlineStrip } from "./HeadlineStrip";
import { RangePicker } from "./RangePicker";
import dynamic from "next/dynamic";

// The charts (Recharts, ~120 KB gzip) load after the matrix has painted, in a chunk of their
// own: each slot holds its panel's size meanwhile, so nothing shifts. They sit below the
// matrix: "where" comes first at 1440x900 (issue 27).
const slot = (title: string) =>
  function Loading() {
    return (
      <Panel title={title} loading error={null} empty={false} emptyText="" minHeight={220}>
        {null}
      </Panel>
    );
  };
const DivergenceChart = dynamic(() => import("./Charts").then((m) => m.DivergenceChart), {
  ssr: false,
  loading: slot("Divergence rate"),
});
const KindsChart = dynamic(() => import("./Charts").then((m) => m.KindsChart), {
  ssr: false,
  loading: slot("Findings by kind (average per poll)"),
});
const FallbackChart = dynamic(() => import("./Charts").then((m) => m.FallbackChart), {
  ssr: false,
  loading: slot("Fallback rate (read path)"),
});
import { HealthMatrix } from "./HealthMatrix";
import { useRememberOverview } from "@/lib/hooks/useOverviewHref";
import { useSearchParams } from "next/navigation";
import { ChartMarks } from "./ChartMarks";
import { AcksPanel } from "./AcksPanel";
import { Panel } from "./Panel";
import { TestContainersNote } from "./TestContainersNote";
import { useStale } from "@/lib/hooks/useStale";
import { LongestDiverged } from "./LongestDiverged";

import type { ApiState } from "@/lib/contracts/state";
import { viewOrder } from "@/lib/ui/state-order";

export function Overview({ initialState = null }: { initialState?: ApiState | null }) {
  const [view, set] = useView();
  const now = useNow(15_000);
  const range = useRange(view);
  const qs = useSearchParams().toString();
  useRememberOverview(qs ? `?${qs}` : "");
  const state = useStateQuery(view.refresh, initialState, view.host, viewOrder(view));
  const overview = useOverviewQuery(view.refresh, view.host);
  const series = useSeriesQuery(range, view.refresh, view.host);
  const phases = usePhasesQuery(null, view.refresh, view.host);
  const verdict = phases.data ? verdictOf(phases.data) : null;
  const s = state.data;
  const zoom = (from: number, to: number) =>
    set({ range: "custom", from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  const stale = useStale(s?.polled_at, s?.collector.poll_interval_ms ?? 0, view.refresh);
  return (
    <div className="page" data-stale={stale} data-testid="overview">
      <div className="page-head">
        <h1 id="overview-title">
          Fleet state health
          {view.host ? (
            <span className="muted" data-testid="host-scope">
              {" "}
              · host {view.host}
            </span>
          ) : null}
        </h1>
        <Freshness
          state={s}
          refresh={view.refresh}
          onRefresh={(refresh) => set({ refresh })}
          fetching={state.isFetching}
        />
      </div>
      <p className={`verdict tone-${verdict?.tone ?? "muted"}`} data-testid="verdict" aria-live="polite">
        {verdict ? (
          <Link href={view.host ? `/phases?host=${encodeURIComponent(view.host)}` : "/phases"}>
            {verdict.text}
          </Link>
        ) : (
          "Evaluating the current phase…"
        )}
      </p>
      <HeadlineStrip state={s} overview={overview.data} />
      <TestContainersNote state={s} />
      <LongestDiverged state={s} now={now} />
      <Panel
        title="Health matrix"
        loading={state.isPending}
        error={state.error}
        // The fleet has none: a page of a filtered view may hold none while the fleet has many.
        empty={!!s && s.summary.projects === 0 && s.projects.length === 0}
        emptyText={
          <div data-testid="empty-state">
            <p>
              <strong>No managed containers or legacy entries yet.</strong>
            </p>
            <p>
              The collector watches Docker at <code>{s?.docker.endpoint}</code> for containers labelled{" "}
              <code>com.l9.managed=true</code>, the registry file, and orchestrator snapshots. Connect a real
              orchestrator with the exporter in <code>examples/python</code>, or see a drifting fleet with{" "}
              <code>npm run demo</code>.
            </p>
          </div>
        }
      >
        {s ? <HealthMatrix state={s} view={view} set={set} now={now} /> : null}
      </Panel>
      <div className="toolbar">
        <RangePicker view={view} set={set} />
      </div>
      {range.error ? (
        <p className="banner banner-bad" role="alert" data-testid="range-error">
          {range.error}
        </p>
      ) : null}
      <div className="charts">
        <DivergenceChart series={series.data} loading={series.isPending} error={series.error} onZoom={zoom} />
        <KindsChart series={series.data} loading={series.isPending} error={series.error} onZoom={zoom} />
        <FallbackChart series={series.data} loading={series.isPending} error={series.error} onZoom={zoom} />
      </div>
      <ChartMarks series={series.data} />
      <AcksPanel refreshMs={view.refresh} now={now} />
    </div>
  );
}
