"use client";
import { Line, LineChart, ReferenceLine, YAxis } from "recharts";

/** A criterion's trend: a small line with its target. Decorative; the figures stand beside it. */
export function Sparkline({
  data,
  target,
  label,
}: {
  data: { t: string; v: number | null }[];
  target: number | null;
  label: string;
}) {
  return (
    <span role="img" aria-label={label} className="sparkline">
      <LineChart width={140} height={34} data={data} margin={{ top: 3, right: 2, bottom: 3, left: 2 }}>
        <YAxis hide domain={["auto", "auto"]} />
        {target !== null ? <ReferenceLine y={target} stroke="var(--bad)" strokeDasharray="3 2" /> : null}
        <Line
          type="monotone"
          dataKey="v"
          stroke="var(--accent)"
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
          connectNulls
        />
      </LineChart>
    </span>
  );
}
