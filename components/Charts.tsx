"use client";
import type { ApiSeries } from "@/lib/contracts/overview";
import {
  CHART_KINDS,
  fallbackPoints,
  hasChecks,
  hasKinds,
  hasReads,
  kindPoints,
  ratePoints,
} from "@/lib/ui/charts";
import { kindLabel } from "@/lib/ui/kinds";
import { useClock } from "@/lib/hooks/useClock";
import { Panel } from "./Panel";
import { TimeChart, type ChartPoint } from "./TimeChart";

// The overview's three charts on one time axis (TimeChart: inline SVG, no chart library).
// Each shares the marks: Docker outages shaded, orchestrator restarts and phase changes as
// dashed lines (also listed under the charts, ChartMarks).

const KIND_COLOURS = [
  "var(--c1)",
  "var(--c2)",
  "var(--c3)",
  "var(--c4)",
  "var(--c5)",
  "var(--c6)",
  "var(--c7)",
];
const H = 220;
const KIND_DEFS = CHART_KINDS.map((k, i) => ({
  key: k,
  label: kindLabel(k),
  colour: KIND_COLOURS[i % KIND_COLOURS.length]!,
}));

type Props = { series: ApiSeries | undefined; loading: boolean; error: unknown };

export function DivergenceChart({ series, loading, error }: Props) {
  const { zone } = useClock();
  return (
    <Panel
      title="Divergence rate"
      loading={loading}
      error={error}
      empty={!series || !hasChecks(series.points)}
      emptyText="No checks in this range yet."
      minHeight={H}
    >
      {series ? (
        <TimeChart
          series={series}
          points={ratePoints(series.points) as ChartPoint[]}
          kind="lines"
          defs={[{ key: "rate", label: "divergence", colour: "var(--accent)" }]}
          zone={zone}
          label="Divergence rate over time against the 5% target"
          unit="%"
          minTop={10}
          target={{ value: 5, label: "5% target" }}
          height={H}
        />
      ) : null}
    </Panel>
  );
}

export function KindsChart({ series, loading, error }: Props) {
  const { zone } = useClock();
  return (
    <Panel
      title="Findings by kind (average per poll)"
      loading={loading}
      error={error}
      empty={!series || !hasKinds(series.points)}
      emptyText="No divergence findings in this range."
      minHeight={H}
    >
      {series ? (
        <TimeChart
          series={series}
          points={kindPoints(series.points) as ChartPoint[]}
          kind="bars"
          defs={KIND_DEFS}
          zone={zone}
          label="Findings by kind over time, as the average per poll in each bucket"
          height={H}
        />
      ) : null}
    </Panel>
  );
}

export function FallbackChart({ series, loading, error }: Props) {
  const { zone } = useClock();
  return (
    <Panel
      title="Fallback rate (read path)"
      loading={loading}
      error={error}
      empty={!series || !hasReads(series.points)}
      emptyText="No read-path events in this range. Orchestrators send them with the exporter (Phase 2)."
      minHeight={H}
    >
      {series ? (
        <TimeChart
          series={series}
          points={fallbackPoints(series.points) as ChartPoint[]}
          kind="lines"
          defs={[
            { key: "fallback", label: "fallback", colour: "var(--warn)" },
            { key: "unanswered", label: "answered by nobody", colour: "var(--bad)", dash: "2 2" },
          ]}
          zone={zone}
          label="Fallback rate of read-path events over time against the 5% target"
          unit="%"
          minTop={10}
          target={{ value: 5 }}
          height={H}
        />
      ) : null}
    </Panel>
  );
}
