"use client";
import { REFRESH_OPTIONS_MS } from "@/lib/query";
import { useNow } from "@/lib/hooks/useNow";
import { useMounted } from "@/lib/hooks/useMounted";
import { ago } from "@/lib/ui/format";
import { dataAge } from "@/lib/core/staleness";
import type { ApiState } from "@/lib/contracts/state";

/** Last poll, a warning when the collector is behind, and the auto-refresh selector with pause. */
export function Freshness({
  state,
  refresh,
  onRefresh,
  fetching,
}: {
  state: ApiState | undefined;
  refresh: number;
  onRefresh: (ms: number) => void;
  fetching: boolean;
}) {
  // Its own one-second clock: only this line re-renders every second, not the page.
  const now = useNow(1000);
  const mounted = useMounted();
  const polled = state?.polled_at ?? null;
  // The one staleness rule (lib/core/staleness), the banner's and the greyed figures' too.
  const behind =
    mounted && dataAge(polled, state?.collector.poll_interval_ms ?? 0, refresh, now.getTime()).stale;
  return (
    <div className="freshness" data-testid="freshness">
      <span className={behind ? "stale-warning" : "muted"} role={behind ? "alert" : undefined}>
        {behind ? "⚠ Data is stale: " : ""}last poll{" "}
        <time dateTime={polled ?? undefined} title={polled ?? ""}>
          {mounted ? ago(polled, now) : "…"}
        </time>
        {state?.simulated ? (
          <span className="chip chip-sim" title="Data from the simulator (npm run demo)">
            simulated
          </span>
        ) : null}
      </span>
      <label>
        Auto-refresh{" "}
        <select
          value={refresh}
          onChange={(e) => onRefresh(Number(e.target.value))}
          aria-label="Auto-refresh interval"
        >
          {REFRESH_OPTIONS_MS.map((ms) => (
            <option key={ms} value={ms}>
              {ms === 0 ? "paused" : `every ${ms / 1000} s`}
            </option>
          ))}
        </select>
      </label>
      <span className="fetch-dot" aria-hidden="true" data-active={fetching} />
    </div>
  );
}
