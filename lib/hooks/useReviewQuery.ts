"use client";
import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "../query";
import type { ApiReview } from "../contracts/reviews";

/** A review never changes by itself (its evaluation is frozen): no refresh interval. */
export function useReviewQuery(id: string) {
  return useQuery({
    queryKey: ["review", { id }],
    queryFn: () => fetchJson<ApiReview>(`/api/v1/reviews/${encodeURIComponent(id)}`),
  });
}

export function useReviewsQuery() {
  return useQuery({
    queryKey: ["reviews", {}],
    queryFn: () => fetchJson<{ reviews: ApiReview[] }>("/api/v1/reviews"),
  });
}
