"use client";
// One small SVG chart on a time axis: lines (broken at gaps) or stacked bars, a target line,
// Docker outages shaded, restarts and phase changes as dashed lines, a tooltip that follows the
// pointer or the arrow keys. No chart library: the geometry is pure (lib/ui/charts.ts).
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import type { ApiSeries } from "@/lib/contracts/overview";
import { gapPath, nearestIndex, niceTop, outageSpans, timeTicks, valueTicks } from "@/lib/ui/charts";
import { formatTime, tickText, type Zone } from "@/lib/ui/clock";

export type ChartSeries = { key: string; label: string; colour: string; dash?: string };
export type ChartPoint = { ms: number } & Record<string, number | null>;

type Props = {
  series: ApiSeries;
  points: readonly ChartPoint[];
  /** lines, or stacked bars */
  kind: "lines" | "bars";
  defs: readonly ChartSeries[];
  zone: Zone;
  label: string;
  unit?: string;
  /** the value axis reaches at least this */
  minTop?: number;
  target?: { value: number; label?: string };
  height: number;
};

const M = { top: 10, right: 16, bottom: 24, left: 48 };

/** The element's width, measured (and re-measured when it changes). */
function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(200, Math.floor(el.getBoundingClientRect().width)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { ref, width };
}

/** The zone's offset from UTC at `ms` (for ticks on whole hours and days of the zone shown). */
function offsetAt(ms: number, zone: Zone): number {
  if (zone === "utc") return 0;
  return -new Date(ms).getTimezoneOffset() * 60_000;
}

export function TimeChart(props: Props) {
  const { series, points, kind, defs, zone, unit = "", height } = props;
  const { ref, width } = useWidth(640);
  const [active, setActive] = useState<number | null>(null);
  const from = Date.parse(series.from);
  const to = Date.parse(series.to);
  const span = Math.max(1, to - from);
  const w = width - M.left - M.right;
  const h = height - M.top - M.bottom;
  const x = (ms: number) => M.left + ((ms - from) / span) * w;

  const stackTop = (p: ChartPoint) => defs.reduce((sum, d) => sum + (p[d.key] ?? 0), 0);
  const dataMax = points.reduce(
    (m, p) => Math.max(m, kind === "bars" ? stackTop(p) : Math.max(...defs.map((d) => p[d.key] ?? 0))),
    0,
  );
  const top = niceTop(Math.max(dataMax, props.target?.value ?? 0), props.minTop ?? 0);
  const y = (v: number) => M.top + h - (v / top) * h;
  const xTicks = timeTicks(from, to, Math.max(2, Math.floor(w / 90)), offsetAt(to, zone));
  // A bar fills its bucket [start, start + bucket) less a tenth on each side.
  const bucketPx = (series.bucket_ms / span) * w;
  const barW = Math.max(1, bucketPx * 0.8);

  const pick = (clientX: number, el: Element) => {
    const r = el.getBoundingClientRect();
    const ms =
      from +
      ((clientX - r.left - M.left) / Math.max(1, w)) * span -
      (kind === "bars" ? series.bucket_ms / 2 : 0);
    const i = nearestIndex(points, ms);
    setActive(i < 0 ? null : i);
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => pick(e.clientX, e.currentTarget);
  // The keyboard steps through points that have a value (empty buckets hold nothing to read).
  const readable = points.flatMap((p, i) => (defs.some((d) => p[d.key] != null) ? [i] : []));
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (readable.length === 0) return;
    const at = active === null ? -1 : readable.findIndex((i) => i >= active);
    const lastAt = readable.length - 1;
    const step =
      e.key === "ArrowLeft"
        ? at < 0
          ? lastAt
          : Math.max(0, at - 1)
        : e.key === "ArrowRight"
          ? at < 0
            ? lastAt
            : Math.min(lastAt, at + 1)
          : e.key === "Home"
            ? 0
            : e.key === "End"
              ? lastAt
              : e.key === "Escape"
                ? null
                : undefined;
    if (step === undefined) return;
    e.preventDefault();
    setActive(step === null ? null : readable[step]!);
  };

  // Bars: only the kinds this range has (eight kinds share seven colours; rarely all at once).
  const legend = kind === "bars" ? defs.filter((d) => points.some((p) => (p[d.key] ?? 0) > 0)) : defs;
  const shown = active === null ? null : (points[active] ?? null);
  const cursorX = shown ? x(shown.ms) + (kind === "bars" ? bucketPx / 2 : 0) : 0;
  const value = (v: number | null | undefined) =>
    v === null || v === undefined ? "—" : `${Math.round(v * 100) / 100}${unit}`;

  return (
    <div
      ref={ref}
      className="time-chart"
      tabIndex={0}
      role="group"
      aria-label={`${props.label}. Arrow keys read the values point by point.`}
      onKeyDown={onKeyDown}
      onBlur={() => setActive(null)}
    >
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={props.label}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setActive(null)}
      >
        {valueTicks(top).map((v) => (
          <g key={`y${v}`}>
            <line x1={M.left} x2={M.left + w} y1={y(v)} y2={y(v)} className="grid" />
            <text x={M.left - 6} y={y(v)} dy="0.32em" textAnchor="end" className="tick">
              {v}
              {unit}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} x={x(t)} y={height - 6} textAnchor="middle" className="tick">
            {tickText(new Date(t).toISOString(), span, zone)}
          </text>
        ))}
        {outageSpans(series.points, series.bucket_ms).map((o) => (
          <g key={`o${o.from}`} className="outage">
            <rect x={x(o.from)} width={Math.max(1, x(Math.min(o.to, to)) - x(o.from))} y={M.top} height={h} />
            <text x={x(o.from) + 3} y={M.top + 11} className="mark-label">
              Docker down
            </text>
          </g>
        ))}
        {series.annotations.map((a, i) => {
          const at = Date.parse(a.at);
          if (at < from || at > to) return null;
          return (
            <g key={`a${i}`} className={a.kind === "restart" ? "mark restart" : "mark phase"}>
              <line x1={x(at)} x2={x(at)} y1={M.top} y2={M.top + h} />
              <text x={x(at) + 3} y={M.top + 22} className="mark-label">
                {a.kind === "restart" ? "restart" : "phase"}
              </text>
            </g>
          );
        })}
        {kind === "bars"
          ? points.map((p) => {
              let base = 0;
              return (
                <g key={`b${p.ms}`}>
                  {defs.map((d) => {
                    const v = p[d.key] ?? 0;
                    if (v <= 0) return null;
                    const y0 = y(base);
                    base += v;
                    return (
                      <rect
                        key={d.key}
                        x={x(p.ms) + bucketPx * 0.1}
                        width={barW}
                        y={y(base)}
                        height={Math.max(0.5, y0 - y(base))}
                        style={{ fill: d.colour }}
                      />
                    );
                  })}
                </g>
              );
            })
          : defs.map((d) => (
              <g key={d.key}>
                <path
                  d={gapPath(points.map((p) => ({ x: x(p.ms), y: p[d.key] == null ? null : y(p[d.key]!) })))}
                  fill="none"
                  style={{ stroke: d.colour }}
                  strokeWidth={2}
                  strokeDasharray={d.dash}
                />
                {points.length <= 120
                  ? points.map((p) =>
                      p[d.key] == null ? null : (
                        <circle key={p.ms} cx={x(p.ms)} cy={y(p[d.key]!)} r={2} style={{ fill: d.colour }} />
                      ),
                    )
                  : null}
              </g>
            ))}
        {props.target ? (
          <g className="target">
            <line x1={M.left} x2={M.left + w} y1={y(props.target.value)} y2={y(props.target.value)} />
            {props.target.label ? (
              <text
                x={M.left + w - 4}
                y={y(props.target.value) - 4}
                textAnchor="end"
                className="target-label"
              >
                {props.target.label}
              </text>
            ) : null}
          </g>
        ) : null}
        {shown ? <line className="cursor" x1={cursorX} x2={cursorX} y1={M.top} y2={M.top + h} /> : null}
      </svg>
      {legend.length > 1 || (kind === "bars" && legend.length > 0) ? (
        <ul className="legend">
          {legend.map((d) => (
            <li key={d.key}>
              <span className="swatch" style={{ background: d.colour }} aria-hidden="true" />
              {d.label}
            </li>
          ))}
        </ul>
      ) : null}
      <div
        className="chart-tip"
        role="status"
        aria-live="polite"
        hidden={!shown}
        style={
          shown
            ? { left: Math.min(Math.max(0, cursorX + 8), Math.max(0, width - 220)), top: M.top }
            : undefined
        }
      >
        {shown ? (
          <>
            <strong>{formatTime(shown.ms, zone, { seconds: false })}</strong>
            <ul>
              {defs
                .filter((d) => kind === "lines" || (shown[d.key] ?? 0) > 0)
                .map((d) => (
                  <li key={d.key}>
                    <span className="swatch" style={{ background: d.colour }} aria-hidden="true" />
                    {d.label}: {value(shown[d.key])}
                  </li>
                ))}
            </ul>
          </>
        ) : null}
      </div>
    </div>
  );
}
