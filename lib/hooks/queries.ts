"use client";
// One hook per API route, keyed [resource, params]; refresh interval from the selector.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "../query";
import { streamOpen, useLiveUpdates } from "./useLiveUpdates";
import { fetchStatePages, pagedStateKey } from "./useStatePages";
import { orderText, type StateOrder, type StatePage } from "../contracts/state-live";
import type { ApiProjectDetail, ApiState } from "../contracts/state";
import type { ApiOverview, ApiSeries } from "../contracts/overview";
import type { ApiAuditPage } from "../contracts/auth";
import type { ApiNotifications } from "../contracts/notifications";
import type { ApiAcks } from "../contracts/acks";
import type { ApiHosts } from "../contracts/agent";

const every = (ms: number) => (ms > 0 ? ms : false);

/** `host`: a server's host ("" = the whole fleet). */
const hostQs = (host: string) => (host ? `?host=${encodeURIComponent(host)}` : "");

/**
 * `initial`: the latest poll rendered by the server, shown before the first fetch (for the
 * whole fleet only, and only in the view it was rendered in). `host`: one of a server's hosts.
 * `paged`: the overview's view (sort and filters): the first screen of its rows, in its order.
 */
export function useStateQuery(
  refreshMs: number,
  initial?: ApiState | null,
  host = "",
  paged: StateOrder | null = null,
) {
  useLiveUpdates(refreshMs > 0);
  const client = useQueryClient();
  const queryKey = paged ? pagedStateKey(host, paged) : ["state", { host }];
  const fits =
    !!initial &&
    !host &&
    (!paged || (initial as ApiState & { page?: StatePage }).page?.order === orderText(paged));
  return useQuery({
    queryKey,
    // `paged`: the first screen of rows, the matrix asks for more (useStatePages); a refetch
    // asks again for as many rows as are shown.
    queryFn: () =>
      paged
        ? fetchStatePages(host, paged, client.getQueryData<ApiState>(queryKey)?.projects.length ?? 0)
        : fetchJson<ApiState>(`/api/v1/state${hostQs(host)}`),
    // The whole fleet follows the stream's deltas while it is open: no polling then.
    refetchInterval: () => (paged && !host && streamOpen() ? false : every(refreshMs)),
    ...(fits && initial
      ? { initialData: initial, initialDataUpdatedAt: initial.polled_at ? Date.parse(initial.polled_at) : 0 }
      : {}),
  });
}

export function useOverviewQuery(refreshMs: number, host = "") {
  return useQuery({
    queryKey: ["overview", { host }],
    queryFn: () => fetchJson<ApiOverview>(`/api/v1/overview${hostQs(host)}`),
    refetchInterval: every(refreshMs * 3),
  });
}

export function useSeriesQuery(range: { from: string; to: string }, refreshMs: number, host = "") {
  const qs = new URLSearchParams({ from: range.from, to: range.to, ...(host ? { host } : {}) }).toString();
  return useQuery({
    queryKey: ["series", range.from, range.to, host],
    queryFn: () => fetchJson<ApiSeries>(`/api/v1/series?${qs}`),
    refetchInterval: every(refreshMs * 3),
  });
}

export function useProjectQuery(
  name: string,
  range: { from: string; to: string },
  refreshMs: number,
  host = "",
) {
  const qs = new URLSearchParams({ from: range.from, to: range.to, ...(host ? { host } : {}) }).toString();
  return useQuery({
    queryKey: ["project", name, range.from, range.to, host],
    queryFn: () => fetchJson<ApiProjectDetail>(`/api/v1/projects/${encodeURIComponent(name)}?${qs}`),
    refetchInterval: every(refreshMs),
  });
}

export function useAuditQuery(filters: { actor: string; action: string }) {
  const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString();
  return useQuery({
    queryKey: ["audit", filters],
    queryFn: () => fetchJson<ApiAuditPage>(`/api/v1/audit${qs ? `?${qs}` : ""}`),
  });
}

export function useNotificationsQuery() {
  return useQuery({
    queryKey: ["notifications", {}],
    queryFn: () => fetchJson<ApiNotifications>("/api/v1/notifications"),
    refetchInterval: 10_000,
  });
}

export function useAcksQuery(refreshMs: number) {
  return useQuery({
    queryKey: ["acks", {}],
    queryFn: () => fetchJson<ApiAcks>("/api/v1/acknowledgements"),
    refetchInterval: every(refreshMs * 6),
  });
}

export function useHostsQuery(refreshMs: number, enabled = true) {
  return useQuery({
    enabled,
    queryKey: ["hosts", {}],
    queryFn: () => fetchJson<ApiHosts>("/api/v1/hosts"),
    refetchInterval: every(refreshMs),
  });
}
