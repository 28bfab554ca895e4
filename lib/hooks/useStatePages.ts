"use client";
// The fleet state in pages (issue 26): the overview shows the first screen of matrix rows at
// once, in its view's sort and filters (the server pages in the matrix's order), and asks for
// the next page when the rows not yet loaded scroll into view. Pages merge into the one query.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { fetchJson } from "../query";
import {
  mergePage,
  orderText,
  parseOrderText,
  STATE_FIRST_PAGE,
  STATE_PAGE_MAX,
  type ApiStatePage,
  type StateOrder,
  type StatePage,
} from "../contracts/state-live";
import type { ApiState } from "../contracts/state";

/** The query key of the overview's paged state: its host and view. */
export const pagedStateKey = (host: string, order: StateOrder) => [
  "state",
  { host, paged: true, order: orderText(order) },
];

const pageUrl = (host: string, order: StateOrder, limit: number, cursor: string | null) => {
  const q = new URLSearchParams(orderText(order));
  q.set("limit", String(limit));
  if (host) q.set("host", host);
  if (cursor) q.set("cursor", cursor);
  return `/api/v1/state?${q}`;
};

/** The first page, and more until `rows` rows (what was shown before a refetch) are in. */
export async function fetchStatePages(host: string, order: StateOrder, rows: number): Promise<ApiStatePage> {
  const limit = Math.min(STATE_PAGE_MAX, Math.max(STATE_FIRST_PAGE, rows));
  let state = await fetchJson<ApiStatePage>(pageUrl(host, order, limit, null));
  while (state.projects.length < rows && state.page.next_cursor)
    state = mergePage(
      state,
      await fetchJson<ApiStatePage>(pageUrl(host, order, STATE_PAGE_MAX, state.page.next_cursor)),
    );
  return state;
}

/**
 * `state`: the overview's paged state in the view `order`. Returns a ref for the element that
 * stands for the rows not loaded yet: in view (or near), it loads the next page.
 */
export function useStatePages(state: ApiState & { page?: StatePage }, host: string, order: StateOrder) {
  const client = useQueryClient();
  const [visible, setVisible] = useState(false);
  // The cursor being fetched: one request per page at a time. Every new state looks again, so a
  // refetch that lands after a page was merged (back to the first screen) asks for it anew.
  const inFlight = useRef<string | null>(null);
  const next = state.page?.next_cursor ?? null;
  const text = orderText(order);
  useEffect(() => {
    if (!next || inFlight.current === next || !visible) return;
    inFlight.current = next;
    const view = parseOrderText(text);
    if (!view) return;
    const key = pagedStateKey(host, view);
    void fetchJson<ApiStatePage>(pageUrl(host, view, STATE_PAGE_MAX, next))
      .then((page) => {
        const shown = client.getQueryData<ApiState & { page?: StatePage }>(key);
        if (shown?.page?.next_cursor === next) client.setQueryData(key, mergePage(shown, page));
      })
      // A failed page is asked again with the next state (the refresh tick or a delta).
      .catch(() => undefined)
      .finally(() => {
        if (inFlight.current === next) inFlight.current = null;
      });
  }, [client, host, next, visible, text, state]);
  return useCallback((el: Element | null) => {
    if (!el || typeof IntersectionObserver === "undefined") return;
    const io = new IntersectionObserver(([e]) => setVisible(e?.isIntersecting === true), {
      rootMargin: "600px",
    });
    io.observe(el);
    return () => {
      io.disconnect();
      setVisible(false);
    };
  }, []);
}
