// Prometheus text exposition: the latest poll's gauges, counters since the process started
// (so PromQL computes a window's rate as the app does), per-project health, phase readiness
// and the rollback signal. Pure. Cardinality is bounded: one series per project, per source,
// per finding kind and per phase.
import type { ApiState } from "../contracts/state";
import { FINDING_KINDS } from "../core/types";

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

type Sample = [Record<string, string>, number];

export type MetricsInput = {
  state: ApiState | null;
  docker: { requests: number; refusedWrites: number };
  counters: {
    polls: { reachable: number; unreachable: number };
    checks: Record<string, number>;
    diverged: Record<string, number>;
    reads: Record<string, number>;
    readsDockerOk: number;
  };
  /** null while the first evaluation has not finished */
  phases: {
    current: number;
    ready: boolean[];
    met: number[];
    criteria: number[];
    rollback: string[] | null;
  } | null;
  info: { url: string; version: string; pollIntervalMs: number };
  now: Date;
};

export function renderMetrics(m: MetricsInput): string {
  const out: string[] = [];
  const metric = (name: string, help: string, type: "gauge" | "counter", samples: Sample[]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const l = Object.entries(labels)
        .map(([k, v]) => `${k}="${esc(v)}"`)
        .join(",");
      out.push(`${name}${l ? `{${l}}` : ""} ${Number.isFinite(value) ? value : "NaN"}`);
    }
  };
  const byKey = (rec: Record<string, number>, label: string): Sample[] =>
    Object.entries(rec).map(([k, n]) => [{ [label]: k }, n]);

  metric("l9_info", "The app: its URL (for alert links) and version.", "gauge", [
    [{ url: m.info.url, version: m.info.version }, 1],
  ]);
  metric("l9_poll_interval_seconds", "The configured poll interval.", "gauge", [
    [{}, m.info.pollIntervalMs / 1000],
  ]);
  metric("l9_docker_requests_total", "Requests the collector sent to Docker (all GET).", "counter", [
    [{}, m.docker.requests],
  ]);
  metric(
    "l9_docker_write_requests_refused_total",
    "Non-GET Docker requests refused by the read-only client.",
    "counter",
    [[{}, m.docker.refusedWrites]],
  );
  const c = m.counters;
  metric("l9_polls_total", "Polls recorded since the process started, by Docker reachability.", "counter", [
    [{ docker: "reachable" }, c.polls.reachable],
    [{ docker: "unreachable" }, c.polls.unreachable],
  ]);
  metric(
    "l9_checks_total",
    "Checks since the process started, by the kind of source compared.",
    "counter",
    byKey(c.checks, "source_kind"),
  );
  metric(
    "l9_checks_diverged_total",
    "Diverged checks since the process started, by the kind of source compared.",
    "counter",
    byKey(c.diverged, "source_kind"),
  );
  metric(
    "l9_read_events_total",
    "Read-path events received, by served_by.",
    "counter",
    byKey(c.reads, "served_by"),
  );
  metric("l9_read_events_docker_ok_total", "Read-path events where the Docker query succeeded.", "counter", [
    [{}, c.readsDockerOk],
  ]);
  if (m.phases) {
    const p = m.phases;
    metric("l9_current_phase", "The current ADR-0098 phase.", "gauge", [[{}, p.current]]);
    metric(
      "l9_phase_ready",
      "1 when every criterion of the phase is met.",
      "gauge",
      p.ready.map((r, i) => [{ phase: String(i) }, r ? 1 : 0]),
    );
    metric(
      "l9_phase_criteria_met",
      "Criteria met, by phase.",
      "gauge",
      p.met.map((n, i) => [{ phase: String(i) }, n]),
    );
    metric(
      "l9_phase_criteria",
      "Criteria, by phase.",
      "gauge",
      p.criteria.map((n, i) => [{ phase: String(i) }, n]),
    );
    metric(
      "l9_rollback_signal",
      "1 when, after an advance, the previous phase's criteria regressed.",
      "gauge",
      [[{}, p.rollback ? 1 : 0]],
    );
  }
  const state = m.state;
  if (!state) return out.join("\n") + "\n";
  const s = state.summary;
  metric("l9_last_poll_timestamp_seconds", "Time of the latest poll.", "gauge", [
    [{}, state.polled_at ? Date.parse(state.polled_at) / 1000 : NaN],
  ]);
  metric("l9_docker_reachable", "1 when the latest poll reached Docker.", "gauge", [
    [{}, state.docker.reachable ? 1 : 0],
  ]);
  metric("l9_docker_list_latency_seconds", "Latency of the latest label-filtered container list.", "gauge", [
    [{}, state.docker.latency_ms === null ? NaN : state.docker.latency_ms / 1000],
  ]);
  metric("l9_poll_duration_seconds", "Duration of the latest poll (read, diff, persist).", "gauge", [
    [{}, (state.collector.duration_ms ?? NaN) / 1000],
  ]);
  metric("l9_checks", "Checks in the latest poll.", "gauge", [[{}, s.checks]]);
  metric("l9_checks_diverged", "Diverged checks in the latest poll.", "gauge", [[{}, s.diverged]]);
  metric("l9_divergence_rate", "Diverged checks / checks in the latest poll.", "gauge", [
    [{}, s.divergence_rate],
  ]);
  metric(
    "l9_projects",
    "Projects by health in the latest poll.",
    "gauge",
    Object.entries(s.health).map(([h, n]) => [{ health: h }, n]),
  );
  metric(
    "l9_project_health",
    "1 for each project's current health (one series per project).",
    "gauge",
    state.projects.map((p) => [{ project: p.project, health: p.health }, 1]),
  );
  metric(
    "l9_project_diverged_seconds",
    "How long each diverged project has been diverged (its oldest open divergence), 0 otherwise.",
    "gauge",
    state.projects.map((p) => {
      const opened =
        p.health === "diverged"
          ? p.findings
              .filter((f) => !f.informational)
              .map((f) => f.opened_at)
              .filter((x): x is string => !!x)
              .sort()[0]
          : undefined;
      return [
        { project: p.project },
        opened ? Math.max(0, (m.now.getTime() - Date.parse(opened)) / 1000) : 0,
      ];
    }),
  );
  const open = new Map<string, number>(FINDING_KINDS.map((k) => [k, 0]));
  for (const p of state.projects) for (const f of p.findings) open.set(f.kind, (open.get(f.kind) ?? 0) + 1);
  metric(
    "l9_open_findings",
    "Findings in the latest poll, by kind.",
    "gauge",
    [...open].map(([kind, n]) => [{ kind }, n]),
  );
  const statuses = ["ok", "missing", "unreadable", "stale", "ended"];
  metric(
    "l9_source_status",
    "1 for each source's current status.",
    "gauge",
    state.sources.flatMap((src) =>
      statuses.map((st): Sample => [
        // On a server each host's sources: the host is a label, not part of the id.
        { ...(src.host !== undefined ? { host: src.host } : {}), source: src.id, kind: src.kind, status: st },
        src.status === st ? 1 : 0,
      ]),
    ),
  );
  return out.join("\n") + "\n";
}
