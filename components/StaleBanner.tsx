"use client";
import { dataAge, staleText } from "@/lib/core/staleness";
import { useNow } from "@/lib/hooks/useNow";
import { Time } from "./Time";

/** What the banner says once the data is stale: how old it is, never a green "reachable". */
export function StaleBanner({ polledAt, intervalMs }: { polledAt: string; intervalMs: number }) {
  // Its own one-second clock: the age counts up while the server stays silent.
  const now = useNow(1000);
  const age = dataAge(polledAt, intervalMs, 0, now.getTime()).ageMs ?? 0;
  return (
    <div className="banner banner-warn" role="alert" data-testid="docker-status" data-stale="true">
      <strong>⚠ {staleText(age)}</strong>: no newer poll since <Time at={polledAt} date={false} />. The server
      or its collector is not answering; figures are greyed until it does.
    </div>
  );
}
