// Ingest payloads (CONTRACT.md 1c and 1d), declared once: the routes, the collector's pull
// of L9_ORCHESTRATOR_URLS, the simulator and the tests all parse with these.
import { z } from "zod";

/** ISO-8601 date-time; a naive one (no offset, as Python's isoformat() writes) is read as UTC. */
export const isoDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i,
    "must be an ISO-8601 date-time",
  )
  .transform((s, ctx) => {
    const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s : `${s}Z`;
    const ms = Date.parse(withZone.replace(" ", "T").replace(/(\.\d{3})\d+/, "$1"));
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: "custom", message: "is not a valid date-time" });
      return z.NEVER;
    }
    return new Date(ms);
  });

const port = z.union([
  z.number().int().min(1).max(65535),
  z
    .string()
    .regex(/^\d{1,5}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(65535)),
]);

export const indexerEntrySchema = z
  .object({
    container_id: z
      .string()
      .regex(/^[0-9a-fA-F]{12,64}$/, "must be a container id of 12 to 64 hex characters")
      .nullable()
      .optional(),
    port: port.nullable().optional(),
    last_activity: z.string().nullable().optional(),
    project_path: z.string().nullable().optional(),
  })
  .loose();

export const activeIndexersSnapshotSchema = z
  .object({
    instance_id: z.string().trim().min(1).max(200),
    started_at: isoDateTime,
    taken_at: isoDateTime,
    indexers: z.record(z.string().min(1), indexerEntrySchema),
  })
  .loose();

export type ActiveIndexersSnapshot = z.infer<typeof activeIndexersSnapshotSchema>;

export const readEventSchema = z
  .object({
    at: isoDateTime,
    project: z.string().min(1),
    served_by: z.enum(["docker", "fallback"]),
    docker_ok: z.boolean(),
    latency_ms: z.number().min(0).nullable().optional(),
  })
  .loose();

export const readEventsBatchSchema = z
  .object({
    instance_id: z.string().trim().min(1).max(200),
    events: z.array(readEventSchema).max(50_000),
  })
  .loose();

export type ReadEventsBatch = z.infer<typeof readEventsBatchSchema>;

export const MAX_INGEST_BYTES = 1024 * 1024;
