// Acknowledgements (known differences): what an editor posts, and what the API returns.
import { z } from "zod";
import { FINDING_KINDS } from "../core/types";
import type { Ack } from "../core/acks";
import { isoDateTime } from "./ingest";

/** POST /api/v1/acknowledgements. The owner is the signed-in editor; expiry is required. */
export const createAckSchema = z
  .object({
    project: z.string().trim().min(1).max(200),
    source: z.string().trim().min(1).max(300).nullable().optional(),
    kind: z.enum(FINDING_KINDS).nullable().optional(),
    value: z.string().trim().min(1).max(200).nullable().optional(),
    reason: z.string().trim().min(3, "say why this difference is known").max(2000),
    expires_at: isoDateTime,
  })
  .strict();
export type CreateAckBody = z.input<typeof createAckSchema>;

/** PATCH /api/v1/acknowledgements/{id}: extend (or shorten) and re-word. */
export const updateAckSchema = z
  .object({
    reason: z.string().trim().min(3).max(2000).optional(),
    expires_at: isoDateTime.optional(),
  })
  .strict();
export type UpdateAckBody = z.input<typeof updateAckSchema>;

export type ApiAck = Ack & { in_force: boolean };
export type ApiAcks = { in_force: ApiAck[]; history: ApiAck[]; max_days: number };
