"use client";
import { useEffect, useSyncExternalStore } from "react";

const KEY = "l9-overview-search";
const noop = () => () => {};

/** The overview remembers its query (range, filters, sort) for this tab... */
export function useRememberOverview(search: string) {
  useEffect(() => {
    // Only while the overview is the page shown: leaving it may re-render it with the next URL.
    // The address bar, not the hook's copy, which may already be the next page's.
    if (window.location.pathname === "/") window.sessionStorage.setItem(KEY, window.location.search);
  }, [search]);
}

/** ...so "Overview" in a breadcrumb returns to the same view, not a reset one. */
export function useOverviewHref(): string {
  const search = useSyncExternalStore(
    noop,
    () => window.sessionStorage.getItem(KEY) ?? "",
    () => "",
  );
  return `/${search.startsWith("?") ? search : ""}`;
}
