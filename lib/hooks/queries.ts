"use client";
// One hook per API route, keyed [resource, params]; refresh interval from the selector.
import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "../query";
import { useLiveUpdates } from "./useLiveUpdates";
import type { ApiProjectDetail, ApiState } from "../contracts/state";
import type { ApiOverview, ApiSeries } from "../contracts/overview";
import type { ApiAuditPage } from "../contracts/auth";
import type { ApiNotifications } from "../contracts/notifications";
import type { ApiAcks } from "../contracts/acks";

const every = (ms: number) => (ms > 0 ? ms : false);

/** `initial`: the latest poll rendered by the server, shown before the first fetch. */
export function useStateQuery(refreshMs: number, initial?: ApiState | null) {
  useLiveUpdates(refreshMs > 0);
  return useQuery({
    queryKey: ["state", {}],
    queryFn: () => fetchJson<ApiState>("/api/v1/state"),
    refetchInterval: every(refreshMs),
    ...(initial
      ? { initialData: initial, initialDataUpdatedAt: initial.polled_at ? Date.parse(initial.polled_at) : 0 }
      : {}),
  });
}

export function useOverviewQuery(refreshMs: number) {
  return useQuery({
    queryKey: ["overview", {}],
    queryFn: () => fetchJson<ApiOverview>("/api/v1/overview"),
    refetchInterval: every(refreshMs * 3),
  });
}

export function useSeriesQuery(range: { from: string; to: string }, refreshMs: number) {
  const qs = new URLSearchParams({ from: range.from, to: range.to }).toString();
  return useQuery({
    queryKey: ["series", range.from, range.to],
    queryFn: () => fetchJson<ApiSeries>(`/api/v1/series?${qs}`),
    refetchInterval: every(refreshMs * 3),
  });
}

export function useProjectQuery(name: string, range: { from: string; to: string }, refreshMs: number) {
  const qs = new URLSearchParams({ from: range.from, to: range.to }).toString();
  return useQuery({
    queryKey: ["project", name, range.from, range.to],
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
