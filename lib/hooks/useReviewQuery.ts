"use client";
import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "../query";
import type { ApiReview } from "../contracts/reviews";

/**
 * A review's evaluation is frozen; only a pending decision changes by itself (it freezes when
 * the server says so), so it is re-read each second while pending, else never.
 */
export function useReviewQuery(id: string) {
  return useQuery({
    queryKey: ["review", { id }],
    queryFn: () => fetchJson<ApiReview>(`/api/v1/reviews/${encodeURIComponent(id)}`),
    refetchInterval: (q) => (q.state.data?.decision_state === "pending" ? PENDING_REFRESH_MS : false),
  });
}

export const PENDING_REFRESH_MS = 1000;

export function useReviewsQuery() {
  return useQuery({
    queryKey: ["reviews", {}],
    queryFn: () => fetchJson<{ reviews: ApiReview[] }>("/api/v1/reviews"),
  });
}
