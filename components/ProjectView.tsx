"use client";
import { useOverviewHref } from "@/lib/hooks/useOverviewHref";
import Link from "next/link";
import { useState } from "react";
import { useView } from "@/lib/hooks/useView";
import { useRange } from "@/lib/hooks/useRange";
import { useAcksQuery, useProjectQuery, useStateQuery } from "@/lib/hooks/queries";
import { sideBySide, timeline } from "@/lib/ui/project";
import { formatDuration, pct } from "@/lib/ui/format";
import { FetchError } from "@/lib/query";
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";
import { KIND_HELP, kindLabel, kindTitle } from "@/lib/ui/kinds";
import { useCreateAckMutation } from "@/lib/hooks/mutations";
import type { ApiFinding } from "@/lib/contracts/state";
import { RangePicker } from "./RangePicker";
import { Freshness } from "./Freshness";
import { Panel } from "./Panel";
import { Time } from "./Time";

/** An editor acknowledges one finding: its project, source and kind, with a reason and an expiry. */
function AcknowledgeButton({ project, finding }: { project: string; finding: ApiFinding }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [days, setDays] = useState("7");
  const ack = useCreateAckMutation();
  // The longest an acknowledgement may last is the server's (L9_ACK_MAX_DAYS).
  const maxDays = useAcksQuery(0).data?.max_days;
  if (!open) {
    return (
      <>
        {" "}
        <button type="button" className="linkish" onClick={() => setOpen(true)}>
          Acknowledge…
        </button>
      </>
    );
  }
  return (
    <form
      className="ack-form"
      onSubmit={(e) => {
        e.preventDefault();
        const expires = new Date(Date.now() + Number(days) * 86400_000).toISOString();
        ack.mutate(
          { project, source: finding.source ?? null, kind: finding.kind, reason, expires_at: expires },
          { onSuccess: () => setOpen(false) },
        );
      }}
    >
      <label>
        Why is this difference known?{" "}
        <input
          aria-label="Reason"
          required
          minLength={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>{" "}
      <label>
        for{" "}
        <input
          aria-label="Days"
          type="number"
          min={1}
          max={maxDays}
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />{" "}
        days
      </label>{" "}
      <button type="submit">Acknowledge</button>
      {ack.error ? (
        <span className="error" role="alert">
          {ack.error.message}
        </span>
      ) : null}
    </form>
  );
}

export function ProjectView({ name }: { name: string }) {
  const [view, set] = useView();
  const range = useRange(view);
  const overviewHref = useOverviewHref();
  const q = useProjectQuery(name, range, view.refresh, view.host);
  const state = useStateQuery(view.refresh, null, view.host);
  const d = q.data;
  const notFound = q.error instanceof FetchError && q.error.status === 404;
  const [copied, setCopied] = useState(false);
  const editor = useSessionQuery().data?.person?.editor === true;
  const table = d?.current ? sideBySide(d.current) : null;
  const lanes = d ? timeline(d.episodes, d.from, d.to) : [];
  return (
    <div className="page">
      <p className="crumbs">
        <Link href={overviewHref}>Overview</Link> / {d?.host ? `${d.host} / ` : ""}
        {name}
      </p>
      <div className="page-head">
        <h1>
          {name}{" "}
          {d?.current ? <span className={`badge h-${d.current.health}`}>{d.current.health}</span> : null}
        </h1>
        <Freshness
          state={state.data}
          refresh={view.refresh}
          onRefresh={(refresh) => set({ refresh })}
          fetching={q.isFetching}
        />
      </div>
      {notFound ? (
        <p className="error" role="alert">
          No project named “{name}” in Docker, any source or stored history.
        </p>
      ) : (
        <>
          <div className="toolbar">
            <RangePicker view={view} set={set} />
            {range.error ? (
              <p className="banner banner-bad" role="alert" data-testid="range-error">
                {range.error}
              </p>
            ) : null}
          </div>
          <div className="strip">
            <div className="figure">
              <div className="figure-label">Divergence in range</div>
              <div className="figure-value">{d ? pct(d.checks ? d.divergence_rate : null) : "…"}</div>
              <div className="figure-sub">{d ? `${d.diverged} of ${d.checks} checks` : ""}</div>
            </div>
            <div className="figure">
              <div className="figure-label">Finding episodes in range</div>
              <div className="figure-value">{d ? d.episodes.length : "…"}</div>
              <div className="figure-sub">
                {d ? `${d.episodes.filter((e) => !e.closed_at).length} open now` : ""}
              </div>
            </div>
          </div>
          <Panel
            title="Side by side"
            loading={q.isPending}
            error={notFound ? null : q.error}
            empty={!!d && !d.current}
            emptyText="Not present in the latest poll (history below)."
          >
            {table ? (
              <div className="matrix-wrap">
                <table className="sxs" data-testid="side-by-side">
                  <thead>
                    <tr>
                      <th scope="col">field</th>
                      {table.places.map((p) => (
                        <th key={p} scope="col" className="mono">
                          {p}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {table.rows.map((r) => (
                      <tr key={r.field} className={r.differs ? "differs" : ""}>
                        <th scope="row">
                          {r.field}
                          {r.differs ? <span className="sr-only"> (places differ)</span> : null}
                        </th>
                        {r.values.map((v) => (
                          <td key={v.place} className={`mono${v.differs ? " cell-differs" : ""}`}>
                            {v.value}
                            {v.differs ? (
                              <span className="ne" aria-label="differs from Docker">
                                {" "}
                                ≠
                              </span>
                            ) : null}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
                {d?.current?.findings.length ? (
                  <ul className="findings" id="findings">
                    {d.current.findings.map((f, i) => (
                      <li key={i} className={f.informational || f.acknowledgement ? "muted" : undefined}>
                        <span className="kind" title={kindTitle(f.kind)}>
                          {kindLabel(f.kind)}
                        </span>{" "}
                        {f.message}
                        <span className="muted"> · next: {KIND_HELP[f.kind].next}</span>
                        {f.informational ? " (informational until Phase 1: does not change health)" : null}
                        {f.acknowledgement ? (
                          <span data-testid="acknowledged">
                            {" "}
                            — acknowledged by {f.acknowledgement.owner}: “{f.acknowledgement.reason}”, until{" "}
                            <Time at={f.acknowledgement.expires_at} />
                          </span>
                        ) : editor && !f.informational ? (
                          <AcknowledgeButton project={name} finding={f} />
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">No findings in the latest poll.</p>
                )}
              </div>
            ) : null}
          </Panel>
          <Panel
            title="Finding episodes"
            loading={q.isPending}
            error={null}
            empty={!!d && d.episodes.length === 0}
            emptyText="No findings in this range."
          >
            {d ? (
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
                    {d.episodes.map((e, i) => (
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
            ) : null}
          </Panel>
          <Panel
            title="Containers"
            loading={q.isPending}
            error={null}
            empty={!!d && d.containers_history.length === 0}
            emptyText="No container seen for this project in this range."
          >
            <table className="episodes">
              <thead>
                <tr>
                  <th scope="col">container</th>
                  <th scope="col">first seen</th>
                  <th scope="col">stopped</th>
                  <th scope="col">removed</th>
                  <th scope="col">state</th>
                  <th scope="col">port</th>
                  <th scope="col">labels at first sight</th>
                </tr>
              </thead>
              <tbody>
                {d?.containers_history.map((c) => (
                  <tr key={c.id}>
                    <td className="mono">{c.id.slice(0, 12)}</td>
                    <td>
                      <Time at={c.first_seen_at} />
                    </td>
                    <td>{c.stopped_at ? <Time at={c.stopped_at} /> : "—"}</td>
                    <td>{c.removed_at ? <Time at={c.removed_at} /> : "—"}</td>
                    <td>{c.state}</td>
                    <td>{c.port ?? "—"}</td>
                    <td>{c.label_issues.length ? c.label_issues.join(", ") : "valid"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Panel>
          <Panel
            title="Latest poll (raw JSON)"
            loading={q.isPending}
            error={null}
            empty={!d?.current}
            emptyText="—"
          >
            <button
              type="button"
              onClick={() => {
                void navigator.clipboard
                  ?.writeText(JSON.stringify(d?.current, null, 2))
                  .then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy JSON"}
            </button>
            <pre className="raw" tabIndex={0} aria-label="Raw JSON of the project's entry in the latest poll">
              {JSON.stringify(d?.current, null, 2)}
            </pre>
          </Panel>
        </>
      )}
    </div>
  );
}
