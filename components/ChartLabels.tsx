"use client";
// The labels of a chart's marks, in HTML above its plot (lib/ui/chart-marks lays them out): one
// row per kind, crowded marks grouped, each label a button whose card (hover or focus) lists them.
import { useLayoutEffect, useRef, useState } from "react";
import type { ChartSpec } from "@/lib/ui/charts";
import { layoutRow, type LabelGroup, type MarkItem, type MarkRowKind } from "@/lib/ui/chart-marks";
import { formatTime, type Zone } from "@/lib/ui/clock";

/** The plot's insets in the chart (TimeChart's YAxis width and right margin). */
export const PLOT_INSET = { left: 48, right: 16 };

export function ChartLabels({ spec, zone }: { spec: ChartSpec; zone: Zone }) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);
  const t = (ms: number) => formatTime(ms, zone, { seconds: true });
  const rows: [MarkRowKind, MarkItem[]][] = (
    [
      [
        "phase_change",
        spec.marks.filter((m) => m.kind === "phase_change").map((m) => ({ at: m.at, text: m.label })),
      ],
      ["restart", spec.marks.filter((m) => m.kind === "restart").map((m) => ({ at: m.at, text: m.label }))],
      [
        "mode_rollback",
        spec.marks.filter((m) => m.kind === "mode_rollback").map((m) => ({ at: m.at, text: m.label })),
      ],
      [
        "outage",
        spec.outages.map((o) => ({
          at: o.from,
          text: `Docker unreachable ${formatTime(o.from, zone, { seconds: false })} – ${formatTime(o.to, zone, { seconds: false })}`,
        })),
      ],
    ] as [MarkRowKind, MarkItem[]][]
  ).filter(([, items]) => items.length > 0);
  if (rows.length === 0) return null;
  const plot = Math.max(0, width - PLOT_INSET.left - PLOT_INSET.right);
  const span = Math.max(1, spec.to - spec.from);
  const x = (ms: number) => PLOT_INSET.left + ((ms - spec.from) / span) * plot;
  return (
    <div ref={ref} className="chart-labels" data-testid="chart-labels">
      {width > 0
        ? rows.map(([kind, items]) => (
            <ul
              key={kind}
              className={`chart-label-row row-${kind}`}
              aria-label={`${kind.replace("_", " ")} marks`}
            >
              {layoutRow(kind, items, x, width).map((g) => (
                <Label
                  key={`${kind}${g.from}`}
                  id={`${kind}${g.from}`}
                  kind={kind}
                  g={g}
                  width={width}
                  open={open === `${kind}${g.from}`}
                  setOpen={setOpen}
                  time={t}
                />
              ))}
            </ul>
          ))
        : null}
    </div>
  );
}

function Label(props: {
  id: string;
  kind: MarkRowKind;
  g: LabelGroup;
  width: number;
  open: boolean;
  setOpen: (id: string | null) => void;
  time: (ms: number) => string;
}) {
  const { id, kind, g, width, open, setOpen, time } = props;
  const cardId = `card-${id}`;
  // The card starts under its label and shifts left as far as needed to stay inside the chart.
  const cw = Math.min(320, width);
  const side = { left: Math.max(0, Math.min(g.left, width - cw)) - g.left, width: cw };
  return (
    <li className="chart-label-item" style={{ left: g.left, width: g.width }}>
      <button
        type="button"
        className={`chart-mark mark-label-${kind}`}
        aria-describedby={open ? cardId : undefined}
        aria-expanded={open}
        onMouseEnter={() => setOpen(id)}
        onMouseLeave={() => setOpen(null)}
        onFocus={() => setOpen(id)}
        onBlur={() => setOpen(null)}
        onKeyDown={(e) => e.key === "Escape" && setOpen(null)}
      >
        {g.label}
      </button>
      {open ? (
        <div id={cardId} role="tooltip" className="chart-card" style={side}>
          <ul>
            {g.items.map((i, n) => (
              <li key={n}>
                <time>{time(i.at)}</time> {i.text}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </li>
  );
}
