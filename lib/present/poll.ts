// A poll as the one record (lib/contracts/agent.ts): its running totals, and what it changed in
// stored history from the core's plan. Pure: the collector and the backfill call it, the store
// writes its result for any host, an agent sends it as it is.
import type { HistoryPlan } from "../core/history";
import type { PollSummary, PollToRecord } from "../contracts/agent";

type TotalKey =
  | "id"
  | "seq"
  | "cum_checks"
  | "cum_diverged"
  | "cum_diverged_ack"
  | "cum_kinds"
  | "cum_covered_ms"
  | "cum_latency_ms";

/** The previous poll's running totals, time and interval (a stored poll is one). */
export type Totals = Pick<PollSummary, TotalKey | "interval_ms"> & { polled_at: Date | null };
/** What one poll measured: its summary without the running totals. */
export type PollFigures = Omit<PollSummary, TotalKey>;

/** Before a host's first poll. */
export const NO_TOTALS: Totals = {
  id: 0,
  seq: 0,
  cum_checks: 0,
  cum_diverged: 0,
  cum_diverged_ack: 0,
  cum_kinds: {},
  cum_covered_ms: 0,
  cum_latency_ms: 0,
  polled_at: null,
  interval_ms: 0,
};

/** Kind counts without absent kinds (the core's counts are partial records). */
export function kindCounts(r: Partial<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
  return out;
}

/** The poll's summary: its figures, id + 1 and the running totals after it. */
export function withTotals(prev: Totals, f: PollFigures): PollSummary {
  const cumKinds = { ...prev.cum_kinds };
  for (const [k, n] of Object.entries(f.kind_counts)) cumKinds[k] = (cumKinds[k] ?? 0) + n;
  const at = f.polled_at.getTime();
  // CONTRACT 6f: a gap of at most 3 poll intervals (the larger of the two polls') is covered.
  const gap = prev.polled_at === null ? 0 : at - prev.polled_at.getTime();
  const covered = gap > 0 && gap <= 3 * Math.max(f.interval_ms, prev.interval_ms) ? gap : 0;
  return {
    ...f,
    id: prev.id + 1,
    seq: prev.seq + (f.docker_reachable ? 1 : 0),
    cum_checks: prev.cum_checks + f.checks,
    cum_diverged: prev.cum_diverged + f.diverged,
    cum_diverged_ack: prev.cum_diverged_ack + f.diverged_ack,
    cum_kinds: cumKinds,
    cum_covered_ms: prev.cum_covered_ms + covered,
    cum_latency_ms: prev.cum_latency_ms + (f.docker_reachable ? (f.docker_latency_ms ?? 0) : 0),
  };
}

/** The record of one poll on its own host: its summary and what its plan changes. */
export function pollRecord(
  summary: PollSummary,
  plan: HistoryPlan,
  recoveredRestarts: readonly number[] = [],
): PollToRecord {
  return {
    ...summary,
    new_containers: plan.newContainers.map(({ container: c, labelIssues }) => ({
      id: c.id,
      project: c.project ?? "",
      name: c.name,
      created: new Date(c.createdMs),
      labels: c.labels,
      label_issues: labelIssues,
      state: c.state,
      port: c.port,
    })),
    containers_changed: plan.changedContainers.map((c) => ({ ...c })),
    containers_removed: [...plan.removedContainers],
    episodes_opened: plan.openEpisodes.map((e) => ({
      project: e.project,
      source: e.source,
      kind: e.kind,
      subject: e.subject,
      opened_at: e.openedAt,
      detail: { ...e.detail },
    })),
    episodes_closed: plan.closeEpisodes.map((e) => e.id),
    runs_opened: plan.openRuns.map((r) => ({
      project: r.project,
      source: r.source,
      diverged: r.diverged,
      start_seq: r.startSeq,
    })),
    runs_closed: plan.closeRuns.map((r) => ({ ref: r.id, end_seq: r.endSeq })),
    // An agent fills these from its tables when it buffers the message (lib/store/hosts.ts).
    read_events: [],
    restarts: [],
    restarts_recovered: [...recoveredRestarts],
    processes: [],
    mode_changes: [],
    state: null,
  };
}
