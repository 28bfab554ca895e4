"use client";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ApiSeries } from "@/lib/contracts/overview";
import {
  CHART_KINDS,
  fallbackPoints,
  hasChecks,
  hasKinds,
  hasReads,
  kindPoints,
  outageSpans,
  ratePoints,
} from "@/lib/ui/charts";
import { formatTime, tickText, type Zone } from "@/lib/ui/clock";
import { useClock } from "@/lib/hooks/useClock";
import { Panel } from "./Panel";

/**
 * The time axis every chart shares: numeric (ms), ticks with dates once the range spans days,
 * and the marks: Docker outages as shaded spans, orchestrator restarts and phase changes as
 * dashed lines with their label (also listed under the charts, for keyboards and readers).
 */
function timeAxis(series: ApiSeries, zone: Zone) {
  const from = Date.parse(series.from);
  const to = Date.parse(series.to);
  const span = to - from;
  return [
    <XAxis
      key="x"
      dataKey="ms"
      type="number"
      scale="time"
      domain={[from, to]}
      stroke="var(--muted)"
      fontSize={12}
      minTickGap={32}
      tickFormatter={(ms: number) => tickText(new Date(ms).toISOString(), span, zone)}
    />,
    ...outageSpans(series.points, series.bucket_ms).map((o) => (
      <ReferenceArea
        key={`o${o.from}`}
        x1={o.from}
        x2={Math.min(o.to, to)}
        fill="var(--unknown)"
        fillOpacity={0.18}
        ifOverflow="hidden"
        label={{ value: "Docker down", fill: "var(--fg)", fontSize: 11, position: "insideTop" }}
      />
    )),
    ...series.annotations.map((a, i) => (
      <ReferenceLine
        key={`a${i}`}
        x={Date.parse(a.at)}
        stroke={a.kind === "restart" ? "var(--warn)" : "var(--accent)"}
        strokeDasharray="4 3"
        ifOverflow="hidden"
        label={{
          value: a.kind === "restart" ? "restart" : "phase",
          fill: "var(--fg)",
          fontSize: 11,
          position: "insideTopLeft",
        }}
      />
    )),
  ];
}

const tooltipLabel = (zone: Zone) => (ms: unknown) =>
  typeof ms === "number" ? formatTime(ms, zone, { seconds: false }) : String(ms);

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

type Props = { series: ApiSeries | undefined; loading: boolean; error: unknown };

export function DivergenceChart({ series, loading, error }: Props) {
  const { zone } = useClock();
  const pts = series ? ratePoints(series.points) : [];
  return (
    <Panel
      title="Divergence rate"
      loading={loading}
      error={error}
      empty={!series || !hasChecks(series.points)}
      emptyText="No checks in this range yet."
      minHeight={H}
    >
      <div role="img" aria-label="Divergence rate over time against the 5% target">
        <ResponsiveContainer width="100%" height={H}>
          <LineChart data={pts} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            {series ? timeAxis(series, zone) : null}
            <YAxis
              unit="%"
              stroke="var(--muted)"
              fontSize={12}
              width={48}
              domain={[0, (max: number) => Math.max(10, Math.ceil(max))]}
            />
            <Tooltip
              contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)" }}
              labelFormatter={tooltipLabel(zone)}
              formatter={(v) => [`${v}%`, "divergence"]}
            />
            <ReferenceLine
              y={5}
              stroke="var(--bad)"
              strokeDasharray="6 3"
              label={{ value: "5% target", fill: "var(--bad)", fontSize: 12, position: "insideTopRight" }}
            />
            <Line
              type="monotone"
              dataKey="rate"
              stroke="var(--accent)"
              strokeWidth={2}
              dot={{ r: 2 }}
              isAnimationActive={false}
              connectNulls={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </Panel>
  );
}

export function KindsChart({ series, loading, error }: Props) {
  const { zone } = useClock();
  const pts = series ? kindPoints(series.points) : [];
  return (
    <Panel
      title="Findings by kind (average per poll)"
      loading={loading}
      error={error}
      empty={!series || !hasKinds(series.points)}
      emptyText="No divergence findings in this range."
      minHeight={H}
    >
      <div role="img" aria-label="Findings by kind over time, as the average per poll in each bucket">
        <ResponsiveContainer width="100%" height={H}>
          <BarChart data={pts} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            {series ? timeAxis(series, zone) : null}
            <YAxis stroke="var(--muted)" fontSize={12} width={48} />
            <Tooltip
              contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)" }}
              labelFormatter={tooltipLabel(zone)}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {CHART_KINDS.map((k, i) => (
              <Bar
                key={k}
                dataKey={k}
                stackId="k"
                fill={KIND_COLOURS[i % KIND_COLOURS.length]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </Panel>
  );
}

export function FallbackChart({ series, loading, error }: Props) {
  const { zone } = useClock();
  const pts = series ? fallbackPoints(series.points) : [];
  return (
    <Panel
      title="Fallback rate (read path)"
      loading={loading}
      error={error}
      empty={!series || !hasReads(series.points)}
      emptyText="No read-path events in this range. Orchestrators send them with the exporter (Phase 2)."
      minHeight={H}
    >
      <div role="img" aria-label="Fallback rate of read-path events over time against the 5% target">
        <ResponsiveContainer width="100%" height={H}>
          <LineChart data={pts} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            {series ? timeAxis(series, zone) : null}
            <YAxis
              unit="%"
              stroke="var(--muted)"
              fontSize={12}
              width={48}
              domain={[0, (max: number) => Math.max(10, Math.ceil(max))]}
            />
            <Tooltip
              contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)" }}
              labelFormatter={tooltipLabel(zone)}
              formatter={(v, name) => [`${v}%`, name === "unanswered" ? "answered by nobody" : "fallback"]}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <ReferenceLine y={5} stroke="var(--bad)" strokeDasharray="6 3" />
            <Line
              type="monotone"
              dataKey="fallback"
              stroke="var(--warn)"
              strokeWidth={2}
              dot={{ r: 2 }}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="unanswered"
              name="answered by nobody"
              stroke="var(--bad)"
              strokeWidth={2}
              strokeDasharray="2 2"
              dot={{ r: 2 }}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </Panel>
  );
}
