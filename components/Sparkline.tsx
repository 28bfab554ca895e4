"use client";
// A criterion's trend: a small line with its target, drawn as an inline SVG path (no chart
// library: a sparkline needs none, and the phases page loads no Recharts). Decorative; the
// figures stand beside it.
import { sparklinePath } from "@/lib/ui/charts";

const W = 140;
const H = 34;

export function Sparkline({
  data,
  target,
  label,
}: {
  data: { t: string; v: number | null }[];
  target: number | null;
  label: string;
}) {
  const { line, targetY } = sparklinePath(data, target, W, H, 3);
  return (
    <span role="img" aria-label={label} className="sparkline">
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} aria-hidden="true" focusable="false">
        {targetY !== null ? (
          <line
            x1={0}
            x2={W}
            y1={targetY}
            y2={targetY}
            stroke="var(--bad)"
            strokeDasharray="3 2"
            strokeWidth={1}
          />
        ) : null}
        {line ? <path d={line} fill="none" stroke="var(--accent)" strokeWidth={1.5} /> : null}
      </svg>
    </span>
  );
}
