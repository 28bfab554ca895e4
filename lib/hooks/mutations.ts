"use client";
// One mutation hook per write route; bodies are typed from lib/contracts, and each hook
// invalidates the queries its write changes.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { sendJson } from "../query";
import type { PhasesReport, SetPhaseBody } from "../contracts/phases";
import type { ApiReview, CreateReviewBody, UpdateReviewBody } from "../contracts/reviews";
import type { SignOffBody } from "../contracts/auth";
import type { CreateAckBody, UpdateAckBody } from "../contracts/acks";
import type { AddChannelBody, ApiNotifications, TestChannelBody } from "../contracts/notifications";

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

/** Takes back a pending decision (and the phase change it recorded). */
export function useUndoDecisionMutation(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => sendJson<ApiReview>(`/api/v1/reviews/${encodeURIComponent(id)}/undo`, "POST", {}),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ["review", { id }] }),
        qc.invalidateQueries({ queryKey: ["phases"] }),
      ]),
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

export function useAddChannelMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AddChannelBody) =>
      sendJson<ApiNotifications>("/api/v1/notifications/channels", "POST", body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["notifications"] }),
  });
}

export function useRemoveChannelMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      sendJson<ApiNotifications>(`/api/v1/notifications/channels/${id}`, "DELETE", {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["notifications"] }),
  });
}

export function useTestChannelMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TestChannelBody) =>
      sendJson<{ sent: boolean }>("/api/v1/notifications/test", "POST", body),
    onSuccess: () => setTimeout(() => void qc.invalidateQueries({ queryKey: ["notifications"] }), 1500),
  });
}

export function useCreateAckMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateAckBody) => sendJson<unknown>("/api/v1/acknowledgements", "POST", body),
    onSuccess: () =>
      Promise.all(["acks", "project", "state"].map((k) => qc.invalidateQueries({ queryKey: [k] }))),
  });
}

export function useEndAckMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => sendJson<unknown>(`/api/v1/acknowledgements/${id}`, "DELETE", {}),
    onSuccess: () =>
      Promise.all(["acks", "project", "state"].map((k) => qc.invalidateQueries({ queryKey: [k] }))),
  });
}

export function useUpdateAckMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: UpdateAckBody }) =>
      sendJson<unknown>(`/api/v1/acknowledgements/${id}`, "PATCH", body),
    onSuccess: () =>
      Promise.all(["acks", "project", "state"].map((k) => qc.invalidateQueries({ queryKey: [k] }))),
  });
}
