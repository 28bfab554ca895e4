"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { DEFAULT_REFRESH_MS } from "../query";
import { readView, writeView, type ViewPatch, type ViewState } from "../ui/url";

const DEFAULTS = { refresh: DEFAULT_REFRESH_MS };

/**
 * The view (range, filters, sort, refresh) lives in the URL: a link reproduces it. Changes use
 * the native history API (Next keeps useSearchParams in step), so they are instant, need no
 * server round trip, and two quick changes never overwrite each other.
 */
export function useView(): [ViewState, (next: ViewPatch) => void] {
  const params = useSearchParams();
  const pathname = usePathname();
  const view = useMemo(() => readView(params, DEFAULTS), [params]);
  const set = useCallback(
    (next: ViewPatch) => {
      const latest = readView(new URLSearchParams(window.location.search), DEFAULTS);
      const merged = {
        ...latest,
        ...next,
        filters: { ...latest.filters, ...next.filters },
        sort: { ...latest.sort, ...next.sort },
      };
      const qs = new URLSearchParams(writeView(merged, DEFAULTS));
      // The clock (tz=utc) belongs to the page, not to the view: keep it.
      const tz = new URLSearchParams(window.location.search).get("tz");
      if (tz) qs.set("tz", tz);
      const q = qs.toString();
      window.history.replaceState(null, "", `${pathname}${q ? `?${q}` : ""}`);
    },
    [pathname],
  );
  return [view, set];
}
