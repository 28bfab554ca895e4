// Issue 25 on a team server: an agent's poll may carry its processes (mode, code version,
// legacy reads) and mode changes. An older agent's body without them is accepted; a bad value
// is refused naming its field (the route then stores nothing).
import { describe, expect, test } from "vitest";
import { agentBatchSchema } from "../../lib/contracts/agent";
import { zodToApiError } from "../../lib/http";

const at = "2026-12-01T10:00:05.000Z";
const pollBody = (extra: Record<string, unknown> = {}) => ({
  id: 1,
  polled_at: at,
  docker_reachable: true,
  docker_latency_ms: 3,
  docker_error: null,
  duration_ms: 4,
  interval_ms: 5000,
  checks: 0,
  diverged: 0,
  diverged_ack: 0,
  projects: 0,
  kind_counts: {},
  seq: 1,
  cum_checks: 0,
  cum_diverged: 0,
  cum_diverged_ack: 0,
  cum_kinds: {},
  cum_covered_ms: 0,
  cum_latency_ms: 3,
  simulated: false,
  new_containers: [],
  episodes_opened: [],
  episodes_closed: [],
  state: null,
  ...extra,
});
const batch = (extra: Record<string, unknown> = {}) => ({
  host: "ana",
  agent_version: "test",
  buffered: 0,
  dropped: 0,
  polls: [pollBody(extra)],
});
const proc = (extra: Record<string, unknown> = {}) => ({
  instance_id: "mcp-ana-1",
  started_at: "2026-12-01T09:00:00Z",
  first_seen_at: "2026-12-01T09:00:01Z",
  last_seen_at: "2026-12-01T10:00:04Z",
  taken_at: "2026-12-01T10:00:04Z",
  ended_at: null,
  mode: "docker_first",
  code_version: "e94f4d8",
  legacy_reads: null,
  ...extra,
});
const change = (extra: Record<string, unknown> = {}) => ({
  ref: 3,
  instance_id: "mcp-ana-1",
  at: "2026-12-01T09:30:00Z",
  mode: "docker_first",
  previous_mode: "dict_first",
  code_version: "e94f4d8",
  rollback: false,
  ...extra,
});

function refusal(body: unknown): { field?: string; message: string } | null {
  const r = agentBatchSchema.safeParse(body);
  if (r.success) return null;
  const e = zodToApiError(r.error);
  return { field: e.field, message: e.message };
}

describe("an agent's processes and mode changes", () => {
  test("an older agent's poll (no processes, no mode changes) is accepted, as empty lists", () => {
    const r = agentBatchSchema.parse(batch());
    expect([r.polls[0]!.processes, r.polls[0]!.mode_changes]).toEqual([[], []]);
  });

  test("a new agent's poll is parsed, dates as dates", () => {
    const site = { dict: "container_registry", site: "/srv/p.py:90", count: 2, last_read: at };
    const r = agentBatchSchema.parse(
      batch({
        processes: [proc({ legacy_reads: { since: "2026-12-01T09:00:00Z", sites: [site] } })],
        mode_changes: [change(), change({ ref: 4, mode: null, previous_mode: null, code_version: null })],
      }),
    );
    expect(r.polls[0]!.processes[0]!.last_seen_at).toEqual(new Date("2026-12-01T10:00:04Z"));
    expect(r.polls[0]!.processes[0]!.legacy_reads?.sites[0]?.count).toBe(2);
    expect(r.polls[0]!.mode_changes.map((c) => c.ref)).toEqual([3, 4]);
  });

  test.each<[Record<string, unknown>, string, RegExp]>([
    [{ processes: [proc({ mode: "phase-2" })] }, "polls.0.processes.0.mode", /must be one of dict_first/],
    [
      { processes: [proc({ code_version: "e94f4d8; rm -rf /" })] },
      "polls.0.processes.0.code_version",
      /git SHA or a version string/,
    ],
    [{ processes: [proc({ last_seen_at: "yesterday" })] }, "polls.0.processes.0.last_seen_at", /date-time/],
    [{ processes: [proc({ instance_id: "" })] }, "polls.0.processes.0.instance_id", /./],
    [
      {
        processes: [
          proc({ legacy_reads: { since: at, sites: [{ dict: "x", site: "a", count: 1, last_read: at }] } }),
        ],
      },
      "polls.0.processes.0.legacy_reads.sites.0.dict",
      /./,
    ],
    [{ processes: Array.from({ length: 1001 }, () => proc()) }, "polls.0.processes", /./],
    [{ mode_changes: [change({ mode: "docker-first" })] }, "polls.0.mode_changes.0.mode", /must be one of/],
    [
      { mode_changes: [change({ previous_mode: 2 })] },
      "polls.0.mode_changes.0.previous_mode",
      /must be one of/,
    ],
    [{ mode_changes: [change({ ref: 0 })] }, "polls.0.mode_changes.0.ref", /./],
    [{ mode_changes: [change({ rollback: "yes" })] }, "polls.0.mode_changes.0.rollback", /./],
    [{ mode_changes: [change({ at: "2026-02-30T10:00:00Z" })] }, "polls.0.mode_changes.0.at", /date-time/],
  ])("refused: %j names %s", (extra, field, message) => {
    const r = refusal(batch(extra));
    expect(r?.field).toBe(field);
    expect(r?.message).toMatch(message);
  });
});
