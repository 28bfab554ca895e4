"use client";
import { useHealthQuery } from "@/lib/hooks/useHealthQuery";
import { Time } from "./Time";

/** The app-wide freshness/reachability banner: never a healthy-looking screen on bad data. */
export function StatusBanner() {
  const { data, error, isPending } = useHealthQuery();
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
  if (data.status === "ok") {
    return (
      <div className="banner banner-ok" role="status" aria-live="polite" data-testid="docker-status">
        Docker reachable at <code>{data.docker.endpoint}</code>
        {data.docker.latency_ms !== null ? ` (${data.docker.latency_ms} ms)` : ""}
        {data.collector.last_poll_at ? (
          <>
            {" "}
            · last poll <Time at={data.collector.last_poll_at} date={false} />
          </>
        ) : null}
      </div>
    );
  }
  return (
    <div className="banner banner-bad" role="alert" data-testid="docker-status">
      <strong>{data.docker.reachable ? "Degraded" : "Docker unreachable"}</strong>
      <ul>
        {data.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {!data.docker.reachable ? (
        <p>Project health is unknown until Docker answers again. Stored history is kept.</p>
      ) : null}
    </div>
  );
}
