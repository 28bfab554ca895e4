"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson, sendJson } from "../query";
import type { ApiSession, LocalSignInBody } from "../contracts/auth";

/** Who is signed in (GET /api/v1/session). */
export function useSessionQuery() {
  return useQuery({ queryKey: ["session", {}], queryFn: () => fetchJson<ApiSession>("/api/v1/session") });
}

/** Local mode: the single local user gives a name once (kept in a cookie by this browser). */
export function useLocalSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LocalSignInBody) => sendJson<unknown>("/api/v1/session", "POST", body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["session"] }),
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => sendJson<unknown>("/api/v1/session", "DELETE", {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["session"] }),
  });
}
