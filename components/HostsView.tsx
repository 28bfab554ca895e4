"use client";
// The Hosts page (issue 14): every machine whose agent sends this server its polls: when it
// last did, how far behind, what it still holds on disk, and whether it went silent.
import Link from "next/link";
import { useView } from "@/lib/hooks/useView";
import { useNow } from "@/lib/hooks/useNow";
import { useHostsQuery } from "@/lib/hooks/queries";
import { formatDuration } from "@/lib/core/time";
import { ago } from "@/lib/ui/format";
import { Panel } from "./Panel";
import { Time } from "./Time";

export function HostsView() {
  const [view] = useView();
  const now = useNow(5_000);
  const q = useHostsQuery(view.refresh);
  const d = q.data;
  const stale = d?.hosts.filter((h) => h.status === "stale").length ?? 0;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Hosts</h1>
        {d && d.role === "server" ? (
          <p className="muted" data-testid="hosts-summary" aria-live="polite">
            {d.hosts.length} host{d.hosts.length === 1 ? "" : "s"}
            {stale
              ? `, ${stale} stale (silent for more than ${formatDuration(d.stale_after_ms)})`
              : ", all reporting"}
          </p>
        ) : null}
      </div>
      <Panel
        title="Agents"
        loading={q.isPending}
        error={q.error}
        empty={!!d && d.hosts.length === 0}
        emptyText={
          d?.role === "server" ? (
            <p data-testid="hosts-empty">
              No agent has sent a poll yet. On each machine run <code>npm run agent</code> with{" "}
              <code>L9_SERVER_URL</code> pointing here and that host&apos;s token from{" "}
              <code>L9_AGENT_TOKENS</code> (see the README, “Many hosts”).
            </p>
          ) : (
            <p data-testid="hosts-standalone">
              This app watches one machine (
              {d?.role === "agent" ? "as an agent of a team server" : "standalone"}). A team server (
              <code>L9_ROLE=server</code>) lists every developer machine here.
            </p>
          )
        }
      >
        {d ? (
          <div className="table-wrap">
            <table className="table" data-testid="hosts-table">
              <caption className="sr-only">Hosts sending their polls to this server</caption>
              <thead>
                <tr>
                  <th scope="col">Host</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last poll</th>
                  <th scope="col">Lag</th>
                  <th scope="col">Buffered</th>
                  <th scope="col">Dropped</th>
                  <th scope="col">Missing polls</th>
                  <th scope="col">Projects</th>
                  <th scope="col">Diverged checks</th>
                  <th scope="col">Docker</th>
                  <th scope="col">Agent</th>
                </tr>
              </thead>
              <tbody>
                {d.hosts.map((h) => (
                  <tr key={h.host} data-host={h.host} data-status={h.status}>
                    <th scope="row">
                      <Link href={`/?host=${encodeURIComponent(h.host)}`}>{h.host}</Link>
                    </th>
                    <td>
                      <span className={`badge ${h.status === "ok" ? "h-consistent" : "h-unknown"}`}>
                        {h.status === "ok" ? "reporting" : "stale"}
                      </span>
                      {h.status === "stale" ? (
                        <span className="muted">
                          {" "}
                          silent {formatDuration(h.silent_ms)}: its projects show unknown
                        </span>
                      ) : null}
                    </td>
                    <td className="nowrap">
                      <Time at={h.last_polled_at} />{" "}
                      <span className="muted">({ago(h.last_polled_at, now)})</span>
                    </td>
                    <td className="nowrap">{formatDuration(h.lag_ms)}</td>
                    <td>{h.buffered}</td>
                    <td className={h.dropped ? "bad" : undefined}>{h.dropped}</td>
                    <td className={h.missing_polls ? "bad" : undefined}>{h.missing_polls}</td>
                    <td>{h.projects}</td>
                    <td>{h.diverged}</td>
                    <td>{h.docker_reachable ? "reachable" : "unreachable"}</td>
                    <td className="mono">
                      {h.agent_version}
                      {h.modes?.length ? (
                        <div className={h.modes.length > 1 ? "bad" : "muted"} data-testid="host-modes">
                          {h.modes.join(", ")}
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Panel>
    </div>
  );
}
