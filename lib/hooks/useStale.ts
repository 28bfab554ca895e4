"use client";
import { useEffect, useState } from "react";
import { staleInstant } from "../core/staleness";

/**
 * True once figures from the poll at `polledAt` are stale (lib/core/staleness), flipped by one
 * timer at that instant: the page re-renders when it turns stale, not every second.
 */
export function useStale(
  polledAt: string | null | undefined,
  intervalMs: number,
  refreshMs: number,
): boolean {
  const at = staleInstant(polledAt, intervalMs, refreshMs);
  const [staleFor, setStaleFor] = useState<number | null>(null);
  useEffect(() => {
    if (at === null) return;
    const wait = at - Date.now();
    // Timers cap at 2^31 ms; a poll that far ahead is never stale in this page's life.
    const t = setTimeout(() => setStaleFor(at), Math.min(Math.max(wait + 1, 0), 2 ** 31 - 1));
    return () => clearTimeout(t);
  }, [at]);
  return at !== null && staleFor === at;
}
