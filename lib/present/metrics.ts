// Prometheus text exposition of the latest state. Pure.
import type { ApiState } from "../contracts/state";
import { FINDING_KINDS } from "../core/types";

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

export function renderMetrics(
  state: ApiState | null,
  counters: { dockerRequests: number; refusedWrites: number },
): string {
  const out: string[] = [];
  const metric = (
    name: string,
    help: string,
    type: "gauge" | "counter",
    samples: [Record<string, string>, number][],
  ) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const l = Object.entries(labels)
        .map(([k, v]) => `${k}="${esc(v)}"`)
        .join(",");
      out.push(`${name}${l ? `{${l}}` : ""} ${Number.isFinite(value) ? value : "NaN"}`);
    }
  };
  metric("l9_docker_requests_total", "Requests the collector sent to Docker (all GET).", "counter", [
    [{}, counters.dockerRequests],
  ]);
  metric(
    "l9_docker_write_requests_refused_total",
    "Non-GET Docker requests refused by the read-only client.",
    "counter",
    [[{}, counters.refusedWrites]],
  );
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
  const open = new Map<string, number>(FINDING_KINDS.map((k) => [k, 0]));
  for (const p of state.projects) for (const f of p.findings) open.set(f.kind, (open.get(f.kind) ?? 0) + 1);
  metric(
    "l9_open_findings",
    "Findings in the latest poll, by kind.",
    "gauge",
    [...open].map(([kind, n]) => [{ kind }, n]),
  );
  const statuses = ["ok", "missing", "unreadable", "stale"];
  metric(
    "l9_source_status",
    "1 for each source's current status.",
    "gauge",
    state.sources.flatMap((src) =>
      statuses.map((st): [Record<string, string>, number] => [
        { source: src.id, kind: src.kind, status: st },
        src.status === st ? 1 : 0,
      ]),
    ),
  );
  return out.join("\n") + "\n";
}
