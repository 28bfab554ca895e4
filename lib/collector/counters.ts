// Counters since this process started, for /metrics: Prometheus computes a window's rate from
// them the way the app does from its history (rate() copes with a restart's reset).
type Counters = {
  polls: { reachable: number; unreachable: number };
  checks: Record<string, number>;
  diverged: Record<string, number>;
  reads: Record<string, number>;
  readsDockerOk: number;
};

const g = globalThis as typeof globalThis & { __l9Counters?: Counters };

export function counters(): Counters {
  g.__l9Counters ??= {
    polls: { reachable: 0, unreachable: 0 },
    checks: { registry_file: 0, active_indexers: 0 },
    diverged: { registry_file: 0, active_indexers: 0 },
    reads: { docker: 0, fallback: 0, none: 0 },
    readsDockerOk: 0,
  };
  return g.__l9Counters;
}

const add = (m: Record<string, number>, k: string, n = 1) => (m[k] = (m[k] ?? 0) + n);

/** One recorded poll: its checks and diverged checks by the kind of source they compare. */
export function countPoll(
  reachable: boolean,
  projects: readonly { checks: readonly { source: string; status: string; in_flight?: true }[] }[],
  sources: readonly { id: string; kind: string }[],
): void {
  const c = counters();
  c.polls[reachable ? "reachable" : "unreachable"] += 1;
  const kindOf = new Map(sources.map((s) => [s.id, s.kind]));
  for (const p of projects) {
    for (const x of p.checks) {
      const kind = kindOf.get(x.source) ?? "unknown";
      add(c.checks, kind);
      if (x.status === "diverged" && !x.in_flight) add(c.diverged, kind);
    }
  }
}

export function countReads(events: readonly { served_by: string; docker_ok: boolean }[]): void {
  const c = counters();
  for (const e of events) {
    add(c.reads, e.served_by);
    if (e.docker_ok) c.readsDockerOk += 1;
  }
}
