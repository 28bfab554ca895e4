"use client";
// One time chart drawn by Recharts from a ChartSpec (lib/ui/charts.ts shapes the data): lines
// or stacked bars, the target as a ReferenceLine, Docker outages as ReferenceAreas, restarts and
// phase changes as dashed ReferenceLines (their labels in HTML above: ChartLabels), spans with no
// data hatched, drag across the plot to zoom. Keyboard: Recharts' accessibility layer (Tab, ←/→).
import { useId, useState } from "react";
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
import { tipMarks } from "@/lib/ui/chart-marks";
import { ChartLabels } from "./ChartLabels";

type Props = {
  spec: ChartSpec;
  kind: "lines" | "bars";
  zone: Zone;
  label: string;
  height: number;
  /** drag-to-zoom: the range selected, [from, to] in ms (none: the chart does not zoom) */
  onZoom?: (from: number, to: number) => void;
};

export function TimeChart({ spec, kind, zone, label, height, onZoom }: Props) {
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const hatch = `no-data-${useId().replace(/[^A-Za-z0-9_-]/g, "")}`;
  // The row under the pointer, as Recharts reports it (its label is the row's ms).
  const at = (st: { activeLabel?: unknown; activeTooltipIndex?: unknown }): number | null => {
    const v = Number(st.activeLabel);
    if (Number.isFinite(v) && st.activeLabel !== undefined) return v;
    const row = spec.rows[Number(st.activeTooltipIndex)];
    return row ? row.ms : null;
  };
  const span = spec.to - spec.from;
  const legend = spec.series.length > 1 || (kind === "bars" && spec.series.length > 0);
  // Tooltip and legend list the series in the spec's order (Recharts sorts by name by default).
  const order = (item: { dataKey?: unknown }) => spec.series.findIndex((s) => s.key === item.dataKey);
  const tipLabel = (ms: unknown) => {
    if (typeof ms !== "number") return String(ms);
    const { start, marks } = bucketAt(spec, ms);
    const sample = spec.samples[ms];
    return (
      <>
        <strong>{formatTime(start, zone, { seconds: false })}</strong>
        {sample ? <span className="tip-sample">{sample}</span> : null}
        {tipMarks(marks).map((m, i) => (
          <span key={i} className="tip-mark">
            {m}
          </span>
        ))}
      </>
    );
  };
  const zoomEnd = () => {
    if (drag && onZoom && drag.a !== drag.b) {
      const [a, b] = drag.a < drag.b ? [drag.a, drag.b] : [drag.b, drag.a];
      onZoom(Math.max(spec.from, a - spec.bucketMs / 2), Math.min(spec.to, b + spec.bucketMs / 2));
    }
    setDrag(null);
  };
  return (
    <div className={`time-chart${onZoom ? " zoomable" : ""}`}>
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart
          data={spec.rows}
          margin={{ top: 10, right: 16, bottom: 0, left: 0 }}
          accessibilityLayer
          aria-label={`${label}. Arrow keys read the values point by point.${onZoom ? " Drag across the plot to zoom." : ""}`}
          barCategoryGap="10%"
          onMouseDown={(st) => {
            const v = onZoom ? at(st) : null;
            if (v !== null) setDrag({ a: v, b: v });
          }}
          onMouseMove={(st) => {
            const v = drag ? at(st) : null;
            if (drag && v !== null && v !== drag.b) setDrag({ a: drag.a, b: v });
          }}
          onMouseUp={zoomEnd}
          onMouseLeave={() => setDrag(null)}
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
          {spec.gaps.map((g) => (
            <ReferenceArea
              key={`g${g.from}`}
              className="no-data"
              x1={g.from}
              x2={g.to}
              fill={`url(#${hatch})`}
              ifOverflow="hidden"
            />
          ))}
          {spec.outages.map((o) => (
            <ReferenceArea
              key={`o${o.from}`}
              className="outage"
              x1={o.from}
              x2={o.to}
              fill="var(--unknown)"
              fillOpacity={0.18}
              ifOverflow="hidden"
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
            />
          ))}
          {drag && drag.a !== drag.b ? (
            <ReferenceArea
              className="zoom-selection"
              x1={Math.min(drag.a, drag.b)}
              x2={Math.max(drag.a, drag.b)}
              fill="var(--accent)"
              fillOpacity={0.15}
              ifOverflow="hidden"
            />
          ) : null}
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
          <defs>
            <pattern
              id={hatch}
              width="6"
              height="6"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <line
                x1="0"
                y1="0"
                x2="0"
                y2="6"
                stroke="var(--muted)"
                strokeWidth="1.5"
                strokeOpacity="0.35"
              />
            </pattern>
          </defs>
        </ComposedChart>
      </ResponsiveContainer>
      <ChartLabels spec={spec} zone={zone} />
    </div>
  );
}
