"use client";
// The project's finding episodes as a table: newest first, a page at a time.
import { useState } from "react";
import type { ApiEpisode } from "@/lib/contracts/state";
import { newestFirst, pageOf } from "@/lib/ui/project-timeline";
import { formatDuration } from "@/lib/ui/format";
import { kindLabel } from "@/lib/ui/kinds";
import { Time } from "../Time";

export function EpisodeTable({ episodes }: { episodes: ApiEpisode[] }) {
  const [page, setPage] = useState(0);
  const p = pageOf(newestFirst(episodes), page);
  return (
    <>
      <table className="episodes" data-testid="episodes">
        <caption className="sr-only">Finding episodes, newest first</caption>
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
          {p.rows.map((e) => (
            <tr key={`${e.source}|${e.kind}|${e.opened_at}|${e.detail.subject ?? ""}`}>
              <td className="mono">{e.source ?? "project"}</td>
              <td>
                <span className="kind" title={e.kind}>
                  {kindLabel(e.kind)}
                </span>
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
      <nav className="pager" aria-label="Episode pages" data-testid="episodes-pager">
        <button type="button" disabled={p.page === 0} onClick={() => setPage(p.page - 1)}>
          Newer
        </button>
        <span aria-live="polite">{p.text}, newest first</span>
        <button type="button" disabled={p.page >= p.pages - 1} onClick={() => setPage(p.page + 1)}>
          Older
        </button>
      </nav>
    </>
  );
}
