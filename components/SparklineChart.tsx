"use client";
// A criterion's trend: a small Recharts line with its target as a ReferenceLine. Decorative
// (the figures stand beside it), so no keyboard stop: a criteria table would hold a dozen.
import { Line, LineChart, ReferenceLine, YAxis } from "recharts";
import { SPARK_SIZE } from "@/lib/ui/charts";

export function SparklineChart({
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
      <LineChart
        width={SPARK_SIZE.width}
        height={SPARK_SIZE.height}
        data={data}
        margin={{ top: 3, right: 3, bottom: 3, left: 3 }}
        accessibilityLayer={false}
      >
        <YAxis hide domain={["dataMin", "dataMax"]} />
        {target !== null ? (
          <ReferenceLine
            y={target}
            stroke="var(--bad)"
            strokeDasharray="3 2"
            strokeWidth={1}
            ifOverflow="extendDomain"
          />
        ) : null}
        <Line
          dataKey="v"
          stroke="var(--accent)"
          strokeWidth={1.5}
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
      </LineChart>
    </span>
  );
}
