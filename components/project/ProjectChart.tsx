"use client";
// The project over time: how many findings of each kind were open, as stacked bars (Recharts,
// loaded on the project page only, after its tables: ProjectView imports this lazily).
import type { ApiEpisode } from "@/lib/contracts/state";
import { openFindingsChart, timelineSpan } from "@/lib/ui/project-timeline";
import { useClock } from "@/lib/hooks/useClock";
import { useNow } from "@/lib/hooks/useNow";
import { TimeChart } from "../TimeChart";

export function ProjectChart(props: {
  episodes: ApiEpisode[];
  from: string;
  to: string;
  onZoom: (from: number, to: number) => void;
}) {
  const { zone } = useClock();
  const now = useNow(15_000).getTime();
  // The timeline's span: fitted to the findings when they start late in a long range.
  const span = timelineSpan(props.episodes, props.from, props.to, now);
  const spec = openFindingsChart(props.episodes, span.from, span.to, now);
  return (
    <TimeChart
      spec={spec}
      kind="bars"
      zone={zone}
      label="Open findings of this project over time, by kind"
      height={200}
      onZoom={props.onZoom}
    />
  );
}
