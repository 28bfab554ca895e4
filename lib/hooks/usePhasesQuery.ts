"use client";
import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "../query";
import type { PhasesReport } from "../contracts/phases";

export function usePhasesQuery(window: string | null, refreshMs: number, host = "") {
  const q = new URLSearchParams({ ...(window ? { window } : {}), ...(host ? { host } : {}) }).toString();
  const qs = q ? `?${q}` : "";
  return useQuery({
    queryKey: ["phases", { window, host }],
    queryFn: () => fetchJson<PhasesReport>(`/api/v1/phases${qs}`),
    refetchInterval: refreshMs > 0 ? refreshMs * 6 : false,
  });
}
