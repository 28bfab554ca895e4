"use client";
// The project's finding episodes in the range: a timeline per source and kind, then the table.
import type { ApiEpisode } from "@/lib/contracts/state";
import { EpisodeTable } from "./EpisodeTable";
import { Timeline } from "./Timeline";

export function Episodes({ episodes, from, to }: { episodes: ApiEpisode[]; from: string; to: string }) {
  return (
    <>
      <Timeline episodes={episodes} from={from} to={to} />
      <EpisodeTable episodes={episodes} />
    </>
  );
}
