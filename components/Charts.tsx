"use client";
import type { ApiSeries } from "@/lib/contracts/overview";
import { divergenceChart, fallbackChart, hasChecks, hasKinds, hasReads, kindsChart } from "@/lib/ui/charts";
import { useClock } from "@/lib/hooks/useClock";
import { targetPct } from "@/lib/ui/format";
import { Panel } from "./Panel";
import { TimeChart } from "./TimeChart";

// The overview's three charts on one time axis (Recharts, loaded after the matrix: Overview).
// Each shares the marks: Docker outages shaded, orchestrator restarts and phase changes as
// dashed lines (also listed in words under the charts, ChartMarks).

export const CHART_HEIGHT = 220;
type Props = {
  series: ApiSeries | undefined;
  loading: boolean;
  error: unknown;
  onZoom?: (from: number, to: number) => void;
};

export function DivergenceChart({ series, loading, error, onZoom }: Props) {
  const { zone } = useClock();
  return (
    <Panel
      title="Divergence rate"
      loading={loading}
      error={error}
      empty={!series || !hasChecks(series.points)}
      emptyText="No checks in this range yet."
      minHeight={CHART_HEIGHT}
    >
      {series ? (
        <TimeChart
          spec={divergenceChart(series)}
          kind="lines"
          zone={zone}
          label={`Divergence rate over time against the ${targetPct(series.targets.divergence_rate)} target`}
          height={CHART_HEIGHT}
          onZoom={onZoom}
        />
      ) : null}
    </Panel>
  );
}

export function KindsChart({ series, loading, error, onZoom }: Props) {
  const { zone } = useClock();
  return (
    <Panel
      title="Findings by kind (average per poll)"
      loading={loading}
      error={error}
      empty={!series || !hasKinds(series.points)}
      emptyText="No divergence findings in this range."
      minHeight={CHART_HEIGHT}
    >
      {series ? (
        <TimeChart
          spec={kindsChart(series)}
          kind="bars"
          zone={zone}
          label="Findings by kind over time, as the average per poll in each bucket"
          height={CHART_HEIGHT}
          onZoom={onZoom}
        />
      ) : null}
    </Panel>
  );
}

export function FallbackChart({ series, loading, error, onZoom }: Props) {
  const { zone } = useClock();
  return (
    <Panel
      title="Fallback rate (read path)"
      loading={loading}
      error={error}
      empty={!series || !hasReads(series.points)}
      emptyText="No read-path events in this range. Orchestrators send them with the exporter (Phase 2)."
      minHeight={CHART_HEIGHT}
    >
      {series ? (
        <TimeChart
          spec={fallbackChart(series)}
          kind="lines"
          zone={zone}
          label={`Fallback rate of read-path events over time against the ${targetPct(series.targets.fallback_rate)} target`}
          height={CHART_HEIGHT}
          onZoom={onZoom}
        />
      ) : null}
    </Panel>
  );
}
