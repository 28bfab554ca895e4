"use client";
import { useQuery } from "@tanstack/react-query";
import type { HealthReport } from "../contracts/health";
import { FetchError, HEALTH_REFRESH_MS } from "../query";

/** GET /api/v1/health. A 503 still carries a report: return it rather than failing. */
export function useHealthQuery(refreshMs: number = HEALTH_REFRESH_MS) {
  return useQuery({
    queryKey: ["health", {}],
    queryFn: async (): Promise<HealthReport> => {
      const res = await fetch("/api/v1/health", { headers: { accept: "application/json" } }).catch(
        () => null,
      );
      if (!res) throw new FetchError(0, "the dashboard server did not answer", null);
      const body = (await res.json().catch(() => null)) as HealthReport | null;
      if (!body || typeof body.status !== "string")
        throw new FetchError(res.status, `HTTP ${res.status}`, body);
      return body;
    },
    refetchInterval: refreshMs || false,
  });
}
