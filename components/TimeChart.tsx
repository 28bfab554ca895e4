"use client";
// One time chart drawn by Recharts from a ChartSpec (lib/ui/charts.ts shapes the data): lines
// or stacked bars, the target as a ReferenceLine, Docker outages as ReferenceAreas, restarts and
// phase changes as dashed ReferenceLines. Keyboard: Recharts' accessibility layer (Tab, ←/→).
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { bucketAt, chartValue, type ChartSpec } from "@/lib/ui/charts";
import { timeTicks } from "@/lib/ui/time-ticks";
import { formatTime, tickText, type Zone } from "@/lib/ui/clock";

type Props = { spec: ChartSpec; kind: "lines" | "bars"; zone: Zone; label: string; height: number };

const MARK = { fill: "var(--fg)", fontSize: 11 };

export function TimeChart({ spec, kind, zone, label, height }: Props) {
  const span = spec.to - spec.from;
  const legend = spec.series.length > 1 || (kind === "bars" && spec.series.length > 0);
  // Tooltip and legend list the series in the spec's order (Recharts sorts by name by default).
  const order = (item: { dataKey?: unknown }) => spec.series.findIndex((s) => s.key === item.dataKey);
  const tipLabel = (ms: unknown) => {
    if (typeof ms !== "number") return String(ms);
    const { start, marks } = bucketAt(spec, ms);
    return (
      <>
        <strong>{formatTime(start, zone, { seconds: false })}</strong>
        {marks.map((m, i) => (
          <span key={i} className="tip-mark">
            {m}
          </span>
        ))}
      </>
    );
  };
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart
        data={spec.rows}
        margin={{ top: 10, right: 16, bottom: 0, left: 0 }}
        accessibilityLayer
        aria-label={`${label}. Arrow keys read the values point by point.`}
        barCategoryGap="10%"
      >
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis
          dataKey="ms"
          type="number"
          domain={[spec.from, spec.to]}
          allowDataOverflow
          ticks={timeTicks(spec.from, spec.to, zone)}
          stroke="var(--muted)"
          fontSize={12}
          minTickGap={32}
          tickFormatter={(ms: number) => tickText(new Date(ms).toISOString(), span, zone)}
        />
        <YAxis
          unit={spec.unit}
          stroke="var(--muted)"
          fontSize={12}
          width={48}
          domain={[0, (max: number) => Math.max(spec.minTop, max)]}
        />
        <Tooltip
          isAnimationActive={false}
          separator=": "
          itemSorter={order}
          contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", fontSize: 12 }}
          labelFormatter={tipLabel}
          // Bars: only the kinds the bucket has; lines: every series, a gap as a dash.
          formatter={(v) => (kind === "bars" && !Number(v) ? null : chartValue(Number(v), spec.unit))}
        />
        {legend ? <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={order} /> : null}
        {spec.outages.map((o) => (
          <ReferenceArea
            key={`o${o.from}`}
            x1={o.from}
            x2={o.to}
            fill="var(--unknown)"
            fillOpacity={0.18}
            ifOverflow="hidden"
            label={{ ...MARK, value: "Docker down", position: "insideTopLeft" }}
          />
        ))}
        {spec.marks.map((m, i) => (
          <ReferenceLine
            key={`m${i}`}
            className={m.kind === "restart" ? "mark-restart" : "mark-phase"}
            x={m.at}
            stroke={m.kind === "restart" ? "var(--warn)" : "var(--accent)"}
            strokeDasharray="4 3"
            ifOverflow="hidden"
            label={{
              ...MARK,
              value: m.kind === "restart" ? "restart" : m.kind === "mode_rollback" ? "rollback" : "phase",
              position: "insideTopRight",
            }}
          />
        ))}
        {spec.target ? (
          <ReferenceLine
            className="target"
            y={spec.target.value}
            stroke="var(--bad)"
            strokeDasharray="6 3"
            ifOverflow="extendDomain"
            label={
              spec.target.label
                ? { value: spec.target.label, fill: "var(--bad)", fontSize: 12, position: "insideTopRight" }
                : undefined
            }
          />
        ) : null}
        {spec.series.map((s) =>
          kind === "bars" ? (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stackId="k"
              fill={s.colour}
              isAnimationActive={false}
            />
          ) : (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stroke={s.colour}
              strokeWidth={2}
              strokeDasharray={s.dash}
              dot={spec.rows.length <= 120 ? { r: 2, fill: s.colour } : false}
              connectNulls={false}
              isAnimationActive={false}
            />
          ),
        )}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
