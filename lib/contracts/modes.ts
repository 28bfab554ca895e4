// Issue 25: what a snapshot says about the code that sent it, declared once (ingest, pull, tests).
import { z } from "zod";
import { MODES } from "../core/modes";
import { parseIsoInstant } from "../core/time";

// ingest.ts imports this file, so its isoDateTime cannot be imported back: the same rule, here.
const isoDateTime = z.string().transform((s, ctx) => {
  const at = parseIsoInstant(s);
  if (!at) {
    ctx.addIssue({ code: "custom", message: "must be an ISO-8601 date-time" });
    return z.NEVER;
  }
  return at;
});

/** dict_first (phases 0-1), docker_first (2), write_through (3), docker_only (4). */
export const processModeSchema = z.enum(MODES, {
  error: () => `must be one of ${MODES.join(", ")}`,
});

/** A git SHA or a version string, read once at the process's start. */
export const codeVersionSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w.+\-/@:]+$/, "must be a git SHA or a version string (letters, digits and . + - / @ : _)");

/** Reads of the legacy dicts by call site since counting started (exporter `count_reads=True`). */
export const legacyReadsSchema = z
  .object({
    since: isoDateTime,
    sites: z
      .array(
        z
          .object({
            dict: z.enum(["active_indexers", "container_registry"]),
            site: z.string().trim().min(1).max(500),
            count: z.number().int().min(0),
            last_read: isoDateTime,
          })
          .loose(),
      )
      .max(1000),
  })
  .loose();

export type LegacyReads = z.infer<typeof legacyReadsSchema>;
