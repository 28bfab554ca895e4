"use client";
import type { ApiSource } from "@/lib/contracts/state";
import { useView } from "@/lib/hooks/useView";
import { useNow } from "@/lib/hooks/useNow";
import { useStateQuery } from "@/lib/hooks/queries";
import { ago } from "@/lib/ui/format";
import { Freshness } from "./Freshness";
import { Panel } from "./Panel";
import { Time } from "./Time";
import { ModeBadge } from "./ModeBadge";

export function SourcesView() {
  const [view, set] = useView();
  const now = useNow(15_000);
  const q = useStateQuery(view.refresh, null, view.host);
  const s = q.data;
  const current = s?.sources.filter((x) => x.status !== "stale" && x.status !== "ended") ?? [];
  const gone = s?.sources.filter((x) => x.status === "stale" || x.status === "ended") ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <h1>Sources</h1>
        <Freshness
          state={s}
          refresh={view.refresh}
          onRefresh={(refresh) => set({ refresh })}
          fetching={q.isFetching}
        />
      </div>
      <Panel title="Docker" loading={q.isPending} error={q.error} empty={false} emptyText="">
        {s ? (
          <dl className="facts" data-testid="docker-source">
            <dt>Endpoint</dt>
            <dd className="mono">{s.docker.endpoint}</dd>
            <dt>Status</dt>
            <dd>
              <span className={`badge ${s.docker.reachable ? "h-consistent" : "h-diverged"}`}>
                {s.docker.reachable ? "reachable" : "unreachable"}
              </span>{" "}
              {s.docker.error}
            </dd>
            <dt>Docker list latency (one list of the managed containers, at the last poll)</dt>
            <dd>{s.docker.latency_ms !== null ? `${s.docker.latency_ms} ms` : "—"}</dd>
            <dt>Last answered</dt>
            <dd>{ago(s.docker.last_ok_at, now)}</dd>
          </dl>
        ) : null}
      </Panel>
      <Panel
        title="Legacy sources"
        loading={q.isPending}
        error={q.error}
        empty={!!s && s.sources.length === 0}
        emptyText="No registry file read yet and no orchestrator instance has reported."
      >
        {s ? (
          <>
            <SourcesTable sources={current} now={now} all={s.sources} testId="sources-table" />
            {gone.length ? (
              <details className="stale-sources" data-testid="stale-sources">
                <summary>
                  {gone.length} stale or ended instance{gone.length === 1 ? "" : "s"} (listed for a day after
                  their last snapshot)
                </summary>
                <SourcesTable sources={gone} now={now} all={s.sources} testId="stale-sources-table" />
              </details>
            ) : null}
          </>
        ) : null}
      </Panel>
    </div>
  );
}

function SourcesTable({
  sources,
  all,
  now,
  testId,
}: {
  sources: ApiSource[];
  all: ApiSource[];
  now: Date;
  testId: string;
}) {
  return (
    <table className="episodes" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">source</th>
          <th scope="col">kind</th>
          <th scope="col">status</th>
          <th scope="col">detail</th>
          <th scope="col">last seen / read</th>
          <th scope="col">entries</th>
          <th scope="col">restarts</th>
        </tr>
      </thead>
      <tbody>
        {sources.map((src) => (
          <tr key={`${src.host ?? ""}/${src.id}`}>
            <th scope="row" className="mono">
              {src.host ? `${src.host}: ` : ""}
              {src.id}
            </th>
            <td>{src.kind}</td>
            <td>
              <span className={`badge st-${src.status}`}>{src.status}</span>
            </td>
            <td>
              {src.detail}
              {src.error ? <div className="error">{src.error}</div> : null}
              {src.started_at ? (
                <div className="muted">
                  started <Time at={src.started_at} /> · via {src.via} <ModeBadge src={src} />
                </div>
              ) : null}
              {src.replaced_by ? (
                <div data-testid="replaced-by">
                  crashed or hung: replaced by <span className="mono">{src.replaced_by}</span>
                </div>
              ) : src.status === "ended" ? (
                <div>exited cleanly (not a restart)</div>
              ) : null}
              {all
                .filter((o) => o.replaced_by === src.id && o.host === src.host)
                .map((o) => (
                  <div key={o.id} data-testid="replaces">
                    replaces <span className="mono">{o.id}</span> (a restart)
                  </div>
                ))}
            </td>
            <td>
              {ago(src.last_seen ?? src.last_read_at ?? null, now)}
              {src.last_good_at && src.status !== "ok" ? (
                <div className="muted">last good {ago(src.last_good_at, now)}</div>
              ) : null}
            </td>
            <td>{src.entries ?? "—"}</td>
            <td>{src.restarts ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
