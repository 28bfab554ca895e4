"use client";
// One mutation hook per write route; bodies are typed from lib/contracts, and each hook
// invalidates the queries its write changes.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { sendJson } from "../query";
import type { PhasesReport, SetPhaseBody } from "../contracts/phases";
import type { ApiReview, CreateReviewBody, UpdateReviewBody } from "../contracts/reviews";
import type { SignOffBody } from "../contracts/auth";

export function useSetPhaseMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SetPhaseBody) => sendJson<PhasesReport>("/api/v1/phases/current", "POST", body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["phases"] }),
  });
}

export function useStartReviewMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateReviewBody) => sendJson<ApiReview>("/api/v1/reviews", "POST", body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["reviews"] }),
  });
}

export function useUpdateReviewMutation(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateReviewBody) =>
      sendJson<ApiReview>(`/api/v1/reviews/${encodeURIComponent(id)}`, "PATCH", body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["review", { id }] }),
  });
}

export function useSignOffMutation(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SignOffBody) =>
      sendJson<ApiReview>(`/api/v1/reviews/${encodeURIComponent(id)}/sign-off`, "POST", body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["review", { id }] }),
  });
}
