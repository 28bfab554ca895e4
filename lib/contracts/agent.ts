// What an agent sends its server (issue 14), declared once: the agent builds it, the server's
// route parses it. One message per poll the agent recorded, in order, idempotent by
// (host, id): a resend after a lost answer is stored once.
import { z } from "zod";
import { isoDateTime } from "./ingest";
import { codeVersionSchema, legacyReadsSchema, processModeSchema } from "./modes";
import type { ApiState } from "./state";

const count = z.number().int().min(0);
const kindCounts = z.record(z.string().max(64), count);
const HEALTH = ["consistent", "warning", "diverged", "unknown"] as const;

/** The host's state at a poll, as its agent computed it (the server re-serves it, with the host). */
const hostStateSchema = z
  .object({
    polled_at: z.string().nullable(),
    poll_id: z.number().int().nullable(),
    simulated: z.boolean(),
    docker: z
      .object({
        reachable: z.boolean(),
        endpoint: z.string(),
        latency_ms: z.number().nullable(),
        error: z.string().nullable(),
        last_ok_at: z.string().nullable(),
      })
      .loose(),
    sources: z.array(z.object({ id: z.string(), kind: z.string(), status: z.string() }).loose()),
    summary: z
      .object({
        checks: count,
        diverged: count,
        divergence_rate: z.number(),
        diverged_acknowledged: count,
        divergence_rate_acknowledged: z.number(),
        acknowledgements_in_force: count,
        projects: count,
        health: z.record(z.enum(HEALTH), count),
      })
      .loose(),
    projects: z.array(
      z
        .object({
          project: z.string().min(1).max(512),
          health: z.enum(HEALTH),
          containers: z.array(z.object({ id: z.string() }).loose()),
          checks: z.array(
            z.object({ source: z.string(), status: z.enum(["consistent", "diverged"]) }).loose(),
          ),
          findings: z.array(z.object({ kind: z.string(), message: z.string() }).loose()),
          sources: z.record(z.string(), z.unknown()),
        })
        .loose(),
    ),
    unassigned_containers: z.array(z.object({ id: z.string() }).loose()),
    collector: z.object({ poll_interval_ms: count, duration_ms: z.number().nullable() }).loose(),
  })
  .loose();

/** A state's per-poll part (lib/agent/state-digest.ts): what an unchanged-state delivery still sends. */
export const stateHeadSchema = z.object({
  polled_at: hostStateSchema.shape.polled_at,
  poll_id: hostStateSchema.shape.poll_id,
  docker: hostStateSchema.shape.docker,
  sources: hostStateSchema.shape.sources,
  collector: hostStateSchema.shape.collector,
});

/**
 * A poll's summary: one row of the Poll table. Each field is its column in camelCase
 * (lib/store/poll-row.ts maps them by name), so a new poll field is one line here plus the column.
 */
export const pollSummarySchema = z.object({
  /** the poll id on its host: contiguous from 1 */
  id: z.number().int().min(1),
  polled_at: isoDateTime,
  docker_reachable: z.boolean(),
  docker_latency_ms: z.number().min(0).nullable(),
  docker_error: z.string().max(2000).nullable(),
  duration_ms: z.number().min(0),
  /** the poll interval in force (CONTRACT 6f: covered time) */
  interval_ms: z.number().int().min(1),
  checks: count,
  diverged: count,
  /** issue 25: diverged checks in flight at this poll, not in `diverged` (absent from an older agent: 0) */
  in_flight: count.default(0),
  /** diverged checks whose every finding was acknowledged */
  diverged_ack: count,
  projects: count,
  kind_counts: kindCounts,
  /** reachable-poll sequence and running totals */
  seq: count,
  cum_checks: count,
  cum_diverged: count,
  cum_diverged_ack: count,
  cum_kinds: kindCounts,
  /** running totals of covered time and of Docker latency (reachable polls) */
  cum_covered_ms: z.number().min(0),
  cum_latency_ms: z.number().min(0),
  simulated: z.boolean(),
});

/**
 * The one poll record: what the collector emits, what `recordPoll` stores for any host, and
 * what an agent sends its server.
 */
/**
 * A host's state as stored on a server, checked with the schema its delivery passed. That schema
 * checks what a server reads of it (loose beyond), so its output is narrowed to ApiState here.
 */
export function parseHostState(v: unknown): ApiState | null {
  const parsed = hostStateSchema.nullable().parse(v);
  return parsed as ApiState | null;
}

export const agentPollSchema = pollSummarySchema.extend({
  /** containers first seen at this poll (their labels at first sight: Phase 1's criterion) */
  new_containers: z
    .array(
      z.object({
        id: z.string().regex(/^[0-9a-f]{12,64}$/),
        project: z.string().max(512),
        name: z.string().max(512),
        created: isoDateTime,
        labels: z.record(z.string(), z.string()),
        label_issues: z.array(z.string()),
        state: z.string().max(64),
        port: z.number().int().min(1).max(65535).nullable(),
      }),
    )
    .max(10_000),
  /** containers whose state or port changed (`stopped`: it ran before), and containers gone */
  containers_changed: z
    .array(
      z.object({
        id: z.string().regex(/^[0-9a-f]{12,64}$/),
        state: z.string().max(64),
        port: z.number().int().min(1).max(65535).nullable(),
        stopped: z.boolean(),
      }),
    )
    .max(10_000)
    .default([]),
  containers_removed: z
    .array(z.string().regex(/^[0-9a-f]{12,64}$/))
    .max(10_000)
    .default([]),
  /** finding episodes opened and closed at this poll, named by the agent's own ids */
  episodes_opened: z
    .array(
      z.object({
        ref: z.number().int().min(1),
        project: z.string().max(512),
        source: z.string().max(512),
        kind: z.string().max(64),
        subject: z.string().max(512),
        opened_at: isoDateTime,
        detail: z.record(z.string(), z.unknown()),
      }),
    )
    .max(100_000),
  episodes_closed: z.array(z.number().int().min(1)).max(100_000),
  /** check runs (a project and source keeping one status, in reachable-poll numbers) started and ended */
  runs_opened: z
    .array(
      z.object({
        ref: z.number().int().min(1),
        project: z.string().max(512),
        source: z.string().max(512),
        diverged: z.boolean(),
        start_seq: z.number().int().min(0),
      }),
    )
    .max(100_000)
    .default([]),
  runs_closed: z
    .array(z.object({ ref: z.number().int().min(1), end_seq: z.number().int().min(0) }))
    .max(100_000)
    .default([]),
  /** read-path events the agent stored since its previous message (Phase 2) */
  read_events: z
    .array(
      z.object({
        ref: z.number().int().min(1),
        instance_id: z.string().max(200),
        at: isoDateTime,
        project: z.string().max(512),
        served_by: z.string().max(32),
        docker_ok: z.boolean(),
        latency_ms: z.number().nullable(),
        /** CONTRACT 7g: a cache read's age, and how a fallback answered (older agents send neither) */
        cache_age_ms: z.number().min(0).nullable().default(null),
        fallback_via: z.string().max(50).nullable().default(null),
      }),
    )
    .max(50_000)
    .default([]),
  /** orchestrator restarts detected, or recovered, since its previous message (Phase 3) */
  restarts: z
    .array(
      z.object({
        ref: z.number().int().min(1),
        instance_id: z.string().max(200),
        previous_instance_id: z.string().max(200),
        previous_started_at: isoDateTime.nullable(),
        started_at: isoDateTime,
        detected_at: isoDateTime,
        reason: z.string().max(64),
        recovered_at: isoDateTime.nullable(),
      }),
    )
    .max(10_000)
    .default([]),
  /** restarts (by ref) whose recovery this poll saw */
  restarts_recovered: z.array(z.number().int().min(1)).max(10_000).default([]),
  /**
   * Issue 25: the host's orchestrator processes heard from since the previous message, as the
   * agent holds them (absolute values: the newest `last_seen_at` wins on the server). A
   * delivery names each process once, in the newest of its polls. Older agents send none.
   */
  processes: z
    .array(
      z.object({
        instance_id: z.string().min(1).max(200),
        started_at: isoDateTime,
        first_seen_at: isoDateTime,
        last_seen_at: isoDateTime,
        taken_at: isoDateTime,
        ended_at: isoDateTime.nullable(),
        mode: processModeSchema.nullable(),
        code_version: codeVersionSchema.nullable(),
        legacy_reads: legacyReadsSchema.nullable(),
      }),
    )
    .max(1000)
    .default([]),
  /** Issue 25: mode (or code version) changes the agent stored since its previous message, by its ids */
  mode_changes: z
    .array(
      z.object({
        ref: z.number().int().min(1),
        instance_id: z.string().min(1).max(200),
        at: isoDateTime,
        mode: processModeSchema.nullable(),
        previous_mode: processModeSchema.nullable(),
        code_version: codeVersionSchema.nullable(),
        rollback: z.boolean(),
      }),
    )
    .max(10_000)
    .default([]),
  /** the host's whole state: on the newest poll of a delivery (older buffered polls omit it) */
  state: hostStateSchema.nullable(),
  /** issue 26: the hash of the state without its head; with `state` null and a head: "unchanged" */
  state_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  state_head: stateHeadSchema.optional(),
});

export const agentBatchSchema = z.object({
  host: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "a host name of letters, digits, '.', '_' and '-'"),
  agent_version: z.string().min(1).max(100),
  /** the agent database's random id (its poll ids are only unique within it) */
  agent_id: z.number().int().min(1).max(2_147_483_647).optional(),
  /** polls still on the agent's disk after this delivery, and dropped since it started (full buffer) */
  buffered: count,
  dropped: count,
  polls: z.array(agentPollSchema).min(1).max(500),
});

export type AgentPoll = z.input<typeof agentPollSchema>;
export type PollSummary = z.output<typeof pollSummarySchema>;
/** A poll as parsed (dates as Date). */
export type PollRecord = z.output<typeof agentPollSchema>;
type Unreffed<T> = Omit<T, "ref"> & { ref?: number };
/**
 * A poll before it is stored on its own host: episodes and runs it opens get their refs (the
 * rows' ids) from the database. A parsed agent poll carries them already.
 */
export type PollToRecord = Omit<PollRecord, "episodes_opened" | "runs_opened"> & {
  episodes_opened: Unreffed<PollRecord["episodes_opened"][number]>[];
  runs_opened: Unreffed<PollRecord["runs_opened"][number]>[];
};
export type AgentBatch = z.input<typeof agentBatchSchema>;
export type ParsedAgentBatch = z.output<typeof agentBatchSchema>;

/** What the server answers: the newest poll id it holds for the host (the agent drops up to it). */
export type AgentAck = { host: string; accepted: number; duplicates: number; last_poll_id: number };

/** A host as GET /api/v1/hosts shows it. */
export type ApiHost = {
  host: string;
  status: "ok" | "stale";
  agent_version: string;
  first_seen_at: string;
  received_at: string;
  last_poll_id: number;
  last_polled_at: string;
  /** how far behind the host's newest poll arrived (receipt minus poll time), ms */
  lag_ms: number;
  /** seconds since the server last heard from it */
  silent_ms: number;
  buffered: number;
  dropped: number;
  /** poll ids missing between the first and the last stored (dropped by a full buffer, never resent) */
  missing_polls: number;
  projects: number;
  diverged: number;
  docker_reachable: boolean;
  /** issue 25: its live processes' distinct modes and code versions ("docker_first · e94f4d8") */
  modes?: string[];
};

export type ApiHosts = { hosts: ApiHost[]; stale_after_ms: number; role: "standalone" | "agent" | "server" };

/** What a server keeps of a host (the Host row, its state parsed). */
export type HostRecord = {
  name: string;
  agentId: number | null;
  agentVersion: string;
  firstSeenAt: Date;
  receivedAt: Date;
  lastPollId: number;
  lastPolledAt: Date;
  pollsStored: number;
  firstPollId: number;
  buffered: number;
  dropped: number;
  /** issue 26: the agent's hash of the state's body ("" for none) */
  stateHash: string;
  state: ApiState | null;
};
