"use client";
import { useMemo } from "react";
import { resolveRange, type ViewState } from "../ui/url";
import { useNow } from "./useNow";

/**
 * The time range a view shows, as query parameters. It moves once a minute (the range ends at
 * the next whole minute), so query keys and caches stay stable between refreshes.
 */
export function useRange(v: Pick<ViewState, "range" | "from" | "to">, tickMs = 15_000) {
  const now = useNow(tickMs);
  const minute = Math.floor(now.getTime() / 60_000);
  const { range, from, to } = v;
  return useMemo(
    () => resolveRange({ range, from, to }, new Date(minute * 60_000)),
    [range, from, to, minute],
  );
}
