"use client";
import { useHealthQuery } from "@/lib/hooks/useHealthQuery";

export function Overview() {
  const { data } = useHealthQuery();
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Fleet state health</h1>
      <dl className="facts">
        <dt>Docker</dt>
        <dd data-testid="docker-reachable">{data ? (data.docker.reachable ? "reachable" : "unreachable") : "…"}</dd>
        <dt>Database</dt>
        <dd>{data?.database.status ?? "…"}</dd>
      </dl>
    </section>
  );
}
