// CONTRACT 7g: reads served by a cache of Docker answers. Pure: figures in, a verdict out.
import type { Criterion } from "../phase-types";

/** The ADR allows a cache of under 5 seconds: an older cache answer is a stale read. */
export const STALE_CACHE_MS = 5000;

export const isStaleCacheRead = (e: { served_by: string; cache_age_ms?: number | null }): boolean =>
  e.served_by === "cache" && (e.cache_age_ms ?? 0) > STALE_CACHE_MS;

/** Reads in a window: `reads` excludes cache reads (they count in neither rate). */
export type CacheReadCounts = { reads: number; cache?: number; staleCache?: number };

/** Phase 2: no stale cache reads. No read at all is insufficient data, never met. */
export function staleCacheCriterion(r: CacheReadCounts): Criterion {
  const cache = r.cache ?? 0;
  const stale = r.staleCache ?? 0;
  const all = r.reads + cache;
  const base = {
    id: "no_stale_cache_reads",
    title: "No read served from a cache older than 5 s",
    target: "0 cache reads older than 5 s",
    actual: all === 0 ? null : stale,
  };
  if (all === 0)
    return {
      ...base,
      status: "insufficient_data",
      evidence: { summary: "no read-path events in the window", minimum: "at least 1 read event" },
    };
  return {
    ...base,
    status: stale === 0 ? "met" : "not_met",
    evidence: {
      summary: `${stale} of ${cache} cache reads older than ${STALE_CACHE_MS / 1000} s (${all} reads in all)`,
    },
  };
}
