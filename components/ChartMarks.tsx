"use client";
import type { ApiSeries } from "@/lib/contracts/overview";
import { useClock } from "@/lib/hooks/useClock";
import { outageSpans } from "@/lib/ui/charts";

/** The marks in words, under the charts (a chart's lines are not reachable by keyboard). */
export function ChartMarks({ series }: { series: ApiSeries | undefined }) {
  const { fmt, name } = useClock();
  if (!series) return null;
  const outages = outageSpans(series.points, series.bucket_ms);
  if (outages.length === 0 && series.annotations.length === 0) return null;
  return (
    <details className="chart-marks" data-testid="chart-marks">
      <summary>
        Marked on the charts: {series.annotations.filter((a) => a.kind === "restart").length} restart(s),{" "}
        {series.annotations.filter((a) => a.kind === "phase_change").length} phase change(s),{" "}
        {series.annotations.filter((a) => a.kind === "mode_rollback").length} mode rollback(s),{" "}
        {outages.length} Docker outage(s) (times in {name})
      </summary>
      <ul>
        {outages.map((o) => (
          <li key={`o${o.from}`}>
            Docker unreachable in {fmt(o.from, { seconds: false })} – {fmt(o.to, { seconds: false })}
          </li>
        ))}
        {series.annotations.map((a, i) => (
          <li key={i}>
            {fmt(a.at)}: {a.label}
            {a.simulated ? " (simulated)" : ""}
          </li>
        ))}
      </ul>
    </details>
  );
}
