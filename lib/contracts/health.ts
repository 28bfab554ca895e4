// GET /api/v1/health response.
export type HealthReport = {
  status: "ok" | "degraded";
  reasons: string[];
  docker: { reachable: boolean; endpoint: string; latency_ms: number | null; error: string | null };
  database: { status: "ok" | "error"; error: string | null };
  collector: { running: boolean; last_poll_at: string | null; behind: boolean; poll_interval_ms: number };
};
