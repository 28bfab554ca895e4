// GET /api/v1/health response.
export type HealthReport = {
  status: "ok" | "degraded";
  reasons: string[];
  /** standalone and agent: this machine's collector; server: its agents (issue 14) */
  role: "standalone" | "agent" | "server";
  /** null on a server: it reads no Docker of its own */
  docker: { reachable: boolean; endpoint: string; latency_ms: number | null; error: string | null } | null;
  database: { status: "ok" | "error"; error: string | null };
  collector: { running: boolean; last_poll_at: string | null; behind: boolean; poll_interval_ms: number };
  /** a server's agents: how many, how many silent, when the last delivery came */
  hosts?: { total: number; stale: number; last_received_at: string | null };
  /** an agent's delivery to its server */
  agent?: { server: string; buffered: number; dropped: number; last_error: string | null };
};
