// Ingest payloads (CONTRACT.md 1c and 1d), declared once: the routes, the collector's pull
// of L9_ORCHESTRATOR_URLS, the simulator and the tests all parse with these.
import { z } from "zod";
import { parseIsoInstant } from "../core/time";
import { codeVersionSchema, legacyReadsSchema, processModeSchema } from "./modes";

/** ISO-8601 date-time; a naive one (no offset, as Python's isoformat() writes) is read as UTC. */
export const isoDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i,
    "must be an ISO-8601 date-time",
  )
  .transform((s, ctx) => {
    const at = parseIsoInstant(s);
    if (!at) {
      ctx.addIssue({ code: "custom", message: "is not a date-time that exists (e.g. 2026-02-30 does not)" });
      return z.NEVER;
    }
    return at;
  });

const PORT_FORMS = 'a port number 1-65535, a string of digits such as "48101", or "" or null for no port';

/** CONTRACT 6c: the orchestrator writes "" before Docker assigns a port; "" and null mean none. */
const port = z.unknown().transform((v, ctx): number | null => {
  if (v === undefined || v === null || v === "") return null;
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d{1,5}$/.test(v.trim()) ? Number(v) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 65535) return n;
  ctx.addIssue({ code: "custom", message: `must be ${PORT_FORMS} (got ${JSON.stringify(v)})` });
  return z.NEVER;
});

/** A full container id or a prefix of at least 12 hex characters (CONTRACT 1c). */
const containerId = z
  .string()
  .regex(/^[0-9a-fA-F]{12,64}$/, "must be a container id of 12 to 64 hex characters")
  .nullable()
  .optional();

export const indexerEntrySchema = z
  .object({
    container_id: containerId,
    port: port.optional(),
    last_activity: z.string().nullable().optional(),
    project_path: z.string().nullable().optional(),
  })
  .loose();

/**
 * CONTRACT 7b: a process's `stopped_indexers` entry (the 24-hour grace period). Absent from a
 * snapshot means unknown (a 1.1 exporter, main's dicts), never "nothing stopped".
 */
export const stoppedEntrySchema = z
  .object({
    container_id: containerId,
    stop_time: isoDateTime.nullable().optional(),
    port: port.optional(),
    project_path: z.string().nullable().optional(),
  })
  .loose();

/** CONTRACT 7c: one port of the process's in-memory `allocated_ports`, with its holder if any. */
export const allocatedPortSchema = z
  .object({
    port: port.refine((p) => p !== null, "must be a port number 1-65535 or a string of digits"),
    project: z.string().min(1).nullable().optional(),
    since: isoDateTime.optional(),
  })
  .loose();

const stoppedIndexers = z.record(z.string().min(1), stoppedEntrySchema);
const allocatedPorts = z.array(allocatedPortSchema).max(65_536);

export const activeIndexersSnapshotSchema = z
  .object({
    instance_id: z.string().trim().min(1).max(200),
    started_at: isoDateTime,
    taken_at: isoDateTime,
    indexers: z.record(z.string().min(1), indexerEntrySchema),
    /**
     * CONTRACT 6a: every active_indexers dict of the process, each under its own name. When
     * present, the source is their union and `indexers` is informational.
     */
    orchestrators: z
      .array(
        z.object({
          name: z.string().trim().min(1).max(200),
          indexers: z.record(z.string().min(1), indexerEntrySchema),
          stopped_indexers: stoppedIndexers.optional(),
          allocated_ports: allocatedPorts.optional(),
        }),
      )
      .max(1000)
      .optional(),
    /** CONTRACT 7b, 7c: absent = unknown (not reported), not empty. */
    stopped_indexers: stoppedIndexers.optional(),
    allocated_ports: allocatedPorts.optional(),
    /** Issue 25: the code's mode and version; legacy-dict reads by call site (opt-in). */
    mode: processModeSchema.optional(),
    code_version: codeVersionSchema.optional(),
    legacy_reads: legacyReadsSchema.optional(),
    /** CONTRACT 6b: the process exits cleanly; this is its last snapshot. */
    ended: z.boolean().optional(),
  })
  .loose();

export type ActiveIndexersSnapshot = z.infer<typeof activeIndexersSnapshotSchema>;

export const readEventSchema = z
  .object({
    at: isoDateTime,
    project: z.string().min(1),
    // CONTRACT 6d: "none" is a read that neither Docker nor a fallback answered.
    // CONTRACT 7g: "cache" is a read answered from a cache of Docker answers.
    served_by: z.enum(["docker", "fallback", "none", "cache"]),
    docker_ok: z.boolean(),
    latency_ms: z.number().min(0).nullable().optional(),
    cache_age_ms: z.number().min(0).nullable().optional(),
    fallback_via: z.string().trim().min(1).max(64).nullable().optional(),
  })
  .loose();

export const readEventsBatchSchema = z
  .object({
    instance_id: z.string().trim().min(1).max(200),
    events: z.array(readEventSchema),
  })
  .loose();

export type ReadEventsBatch = z.infer<typeof readEventsBatchSchema>;

/** CONTRACT 7c: Docker refused to bind ("port is already allocated"); no container came of it. */
export const allocationFailedEventSchema = z
  .object({
    at: isoDateTime,
    project: z.string().min(1),
    port: port,
    message: z.string().max(1000),
  })
  .loose();

export const allocationFailedBatchSchema = z
  .object({
    instance_id: z.string().trim().min(1).max(200),
    events: z.array(allocationFailedEventSchema).max(10_000),
  })
  .loose();

export type AllocationFailedBatch = z.infer<typeof allocationFailedBatchSchema>;

export const MAX_INGEST_BYTES = 1024 * 1024;

/** Read events in one batch (the exporter sends 500): more is a 413 naming the limit. */
export const MAX_READ_EVENTS_PER_BATCH = 5000;

const entriesOf = (v: unknown) =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? Object.keys(v).length : 0;

/**
 * Entries in a raw snapshot body, before validation (so an oversized one costs no parsing):
 * `indexers` and every dict of `orchestrators` counted together.
 */
export function rawSnapshotEntries(raw: unknown): number {
  if (raw === null || typeof raw !== "object") return 0;
  const body = raw as { indexers?: unknown; orchestrators?: unknown };
  let n = entriesOf(body.indexers);
  if (Array.isArray(body.orchestrators))
    for (const o of body.orchestrators as unknown[])
      n += o !== null && typeof o === "object" ? entriesOf((o as { indexers?: unknown }).indexers) : 0;
  return n;
}

/** Projects a snapshot's source holds: the union of its dicts (CONTRACT 6a), else `indexers`. */
export function snapshotProjects(snap: ActiveIndexersSnapshot): number {
  if (!snap.orchestrators) return Object.keys(snap.indexers).length;
  return new Set(snap.orchestrators.flatMap((o) => Object.keys(o.indexers))).size;
}

/** Events in a raw read-events body, before validation. */
export function rawEventCount(raw: unknown): number {
  const events = raw !== null && typeof raw === "object" ? (raw as { events?: unknown }).events : undefined;
  return Array.isArray(events) ? events.length : 0;
}
