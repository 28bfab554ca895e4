"use client";
// The fleet state in pages (issue 26): the overview shows the first screen of matrix rows at
// once and asks for the next page when the end of the matrix scrolls into view, or for all of
// them when its filter or sort needs every row. Pages merge into the one state query.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { fetchJson } from "../query";
import {
  mergePage,
  STATE_FIRST_PAGE,
  STATE_PAGE_MAX,
  type ApiStatePage,
  type StatePage,
} from "../contracts/state-live";
import type { ApiState } from "../contracts/state";

const pageUrl = (host: string, limit: number, cursor: string | null) =>
  `/api/v1/state?${new URLSearchParams({ limit: String(limit), ...(host ? { host } : {}), ...(cursor ? { cursor } : {}) })}`;

/** The first page, and more until `rows` rows (what was shown before a refetch) are in. */
export async function fetchStatePages(host: string, rows: number): Promise<ApiStatePage> {
  const limit = Math.min(STATE_PAGE_MAX, Math.max(STATE_FIRST_PAGE, rows));
  let state = await fetchJson<ApiStatePage>(pageUrl(host, limit, null));
  while (state.projects.length < rows && state.page.next_cursor)
    state = mergePage(
      state,
      await fetchJson<ApiStatePage>(pageUrl(host, STATE_PAGE_MAX, state.page.next_cursor)),
    );
  return state;
}

/**
 * `state`: the overview's paged state. Returns a ref for an element after the matrix: in view,
 * it loads the next page. `all`: load every page (a filter or a sort over all rows).
 */
export function useStatePages(state: ApiState & { page?: StatePage }, host: string, all: boolean) {
  const client = useQueryClient();
  const [visible, setVisible] = useState(false);
  // The cursor being fetched: one request per page at a time. Every new state looks again, so a
  // refetch that lands after a page was merged (back to the first screen) asks for it anew.
  const inFlight = useRef<string | null>(null);
  const next = state.page?.next_cursor ?? null;
  useEffect(() => {
    if (!next || inFlight.current === next || !(visible || all)) return;
    inFlight.current = next;
    const key = ["state", { host, paged: true }];
    void fetchJson<ApiStatePage>(pageUrl(host, STATE_PAGE_MAX, next))
      .then((page) => {
        const shown = client.getQueryData<ApiState & { page?: StatePage }>(key);
        if (shown?.page?.next_cursor === next) client.setQueryData(key, mergePage(shown, page));
      })
      // A failed page is asked again with the next state (the refresh tick or a delta).
      .catch(() => undefined)
      .finally(() => {
        if (inFlight.current === next) inFlight.current = null;
      });
  }, [client, host, next, visible, all, state]);
  return useCallback((el: Element | null) => {
    if (!el || typeof IntersectionObserver === "undefined") return;
    const io = new IntersectionObserver(([e]) => setVisible(e?.isIntersecting === true), {
      rootMargin: "600px",
    });
    io.observe(el);
    return () => io.disconnect();
  }, []);
}
