"use client";
import { useHealthQuery } from "@/lib/hooks/useHealthQuery";
import { Time } from "./Time";
import { StaleBanner } from "./StaleBanner";
import { useStale } from "@/lib/hooks/useStale";
import { HEALTH_REFRESH_MS } from "@/lib/query";

/** The app-wide freshness/reachability banner: never a healthy-looking screen on bad data. */
export function StatusBanner() {
  const { data, error, isPending } = useHealthQuery();
  // A server's own banner names its silent hosts (deliveries come in batches, not every poll).
  const polledAt = data?.role === "server" ? null : data?.collector.last_poll_at;
  const stale = useStale(polledAt, data?.collector.poll_interval_ms ?? 0, HEALTH_REFRESH_MS);
  if (isPending) {
    return (
      <div className="banner banner-muted" role="status" aria-live="polite">
        Checking Docker and the collector…
      </div>
    );
  }
  if (error || !data) {
    return (
      <div className="banner banner-bad" role="alert">
        The dashboard server is not answering. Figures on this page may be out of date.
      </div>
    );
  }
  if (stale && polledAt && data.status === "ok")
    return <StaleBanner polledAt={polledAt} intervalMs={data.collector.poll_interval_ms} />;
  if (data.role === "server") {
    const h = data.hosts;
    return (
      <div
        className={`banner ${data.status === "ok" ? "banner-ok" : "banner-bad"}`}
        role={data.status === "ok" ? "status" : "alert"}
        aria-live="polite"
        data-testid="docker-status"
      >
        Team server: {h?.total ?? 0} host{h?.total === 1 ? "" : "s"}
        {h?.stale ? `, ${h.stale} stale (their projects show unknown)` : ""}
        {h?.last_received_at ? (
          <>
            {" "}
            · last delivery <Time at={h.last_received_at} date={false} />
          </>
        ) : null}
        {data.reasons.length ? ` · ${data.reasons.join("; ")}` : ""}
      </div>
    );
  }
  const docker = data.docker ?? { reachable: false, endpoint: "", latency_ms: null, error: null };
  if (data.status === "ok") {
    return (
      <div className="banner banner-ok" role="status" aria-live="polite" data-testid="docker-status">
        Docker reachable at <code>{docker.endpoint}</code>
        {data.collector.last_poll_at ? (
          <>
            {" "}
            · last poll <Time at={data.collector.last_poll_at} date={false} />
          </>
        ) : null}
      </div>
    );
  }
  const db = data.database.status;
  const title = !docker.reachable
    ? "Docker unreachable"
    : db === "busy"
      ? "Database busy"
      : db === "error"
        ? "Database problem"
        : "Degraded";
  return (
    <div className="banner banner-bad" role="alert" data-testid="docker-status">
      <strong>{title}</strong>
      <ul>
        {data.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {!docker.reachable ? (
        <p>Project health is unknown until Docker answers again. Stored history is kept.</p>
      ) : null}
      {db !== "ok" ? (
        <p>New polls may not be stored until the database accepts writes; figures may be out of date.</p>
      ) : null}
    </div>
  );
}
