"use client";
// The project's finding episodes in the range: a timeline per source and kind, then the table.
import type { ApiEpisode } from "@/lib/contracts/state";
import type { TimelineLane } from "@/lib/ui/project";
import { formatDuration } from "@/lib/ui/format";
import { Time } from "../Time";

export function Episodes({ episodes, lanes }: { episodes: ApiEpisode[]; lanes: TimelineLane[] }) {
  return (
    <>
      <div className="timeline" aria-hidden="true">
        {lanes.map((l) => (
          <div key={l.key} className="lane">
            <div className="lane-label mono">{l.key}</div>
            <div className="lane-track">
              {l.bars.map((b, i) => (
                <span
                  key={i}
                  className={`bar ${b.episode.closed_at ? "" : "open"}`}
                  style={{ left: `${b.left}%`, width: `${b.width}%` }}
                  title={b.episode.detail.message}
                />
              ))}
            </div>
          </div>
        ))}
      </div>
      <table className="episodes" data-testid="episodes">
        <thead>
          <tr>
            <th scope="col">source</th>
            <th scope="col">kind</th>
            <th scope="col">opened</th>
            <th scope="col">closed</th>
            <th scope="col">duration</th>
            <th scope="col">values at the time</th>
          </tr>
        </thead>
        <tbody>
          {episodes.map((e, i) => (
            <tr key={i}>
              <td className="mono">{e.source ?? "project"}</td>
              <td>
                <span className="kind">{e.kind}</span>
              </td>
              <td>
                <Time at={e.opened_at} />
              </td>
              <td>{e.closed_at ? <Time at={e.closed_at} /> : <strong>open</strong>}</td>
              <td>{formatDuration(e.duration_ms)}</td>
              <td>
                {e.detail.message}
                {e.simulated ? <span className="chip chip-sim">simulated</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
