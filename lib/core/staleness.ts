// When what a screen shows is too old to trust (issue 27: a frozen server, a dropped stream).
// Pure: the clock is an argument.
import { formatDuration, staleAfterMs } from "./time";

export type DataAge = { stale: boolean; ageMs: number | null };

/**
 * The age of figures from the poll taken at `polledAt`, and whether they are stale: no newer
 * poll by the poll's stale instant, plus `refreshMs` (how long a page may wait for its next
 * fetch: without it a page refreshing every 5 s would flash "stale" between two fetches).
 */
export function dataAge(
  polledAt: string | null | undefined,
  intervalMs: number,
  refreshMs: number,
  nowMs: number,
): DataAge {
  const at = polledAt ? Date.parse(polledAt) : NaN;
  if (!Number.isFinite(at)) return { stale: false, ageMs: null };
  return { stale: nowMs > staleAfterMs(at, intervalMs) + refreshMs, ageMs: Math.max(0, nowMs - at) };
}

/** The instant `dataAge` turns stale, for a timer that flips a page once instead of ticking. */
export function staleInstant(polledAt: string | null | undefined, intervalMs: number, refreshMs: number) {
  const at = polledAt ? Date.parse(polledAt) : NaN;
  return Number.isFinite(at) ? staleAfterMs(at, intervalMs) + refreshMs : null;
}

/** "Data is 46 s old" — what a stale screen says instead of a healthy-looking status. */
export const staleText = (ageMs: number) => `Data is ${formatDuration(ageMs)} old`;

/**
 * How long a finding has lasted, for a matrix row: minutes, never a flapping "0 s" (a clock
 * that ticks every 15 s lags behind new polls) and never seconds that jump between refreshes.
 */
export function lastedText(openedAt: string, nowMs: number): string {
  const ms = nowMs - Date.parse(openedAt);
  if (!Number.isFinite(ms) || ms < 60_000) return "under a minute";
  return formatDuration(Math.floor(ms / 60_000) * 60_000).replace(/ 0 s$/, "");
}
