// GET /api/v1/health response.
export type HealthReport = {
  status: "ok" | "degraded";
  reasons: string[];
  /** standalone and agent: this machine's collector; server: its agents (issue 14) */
  role: "standalone" | "agent" | "server";
  /** null on a server: it reads no Docker of its own */
  docker: { reachable: boolean; endpoint: string; latency_ms: number | null; error: string | null } | null;
  /**
   * busy: another connection holds the write lock now; error: unreachable, or the last write
   * failed (`last_write`, the latest poll's or agent delivery's, null before the first)
   */
  database: {
    status: "ok" | "busy" | "error";
    error: string | null;
    latency_ms: number | null;
    last_write: {
      ok: boolean;
      at: string;
      error: string | null;
      consecutive_failures: number;
      last_ok_at: string | null;
    } | null;
  };
  collector: { running: boolean; last_poll_at: string | null; behind: boolean; poll_interval_ms: number };
  /** a server's agents: how many, how many silent, when the last delivery came */
  hosts?: { total: number; stale: number; last_received_at: string | null };
  /**
   * a server: whether this process sends notifications and prunes (issue 26: of several server
   * processes on one PostgreSQL, the one holding the advisory lock; always true on SQLite)
   */
  leader?: boolean;
  /** an agent's delivery to its server */
  agent?: { server: string; buffered: number; dropped: number; last_error: string | null };
};
