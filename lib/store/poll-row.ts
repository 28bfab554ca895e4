// The Poll table's row is the contract's poll summary (lib/contracts/agent.ts), field by field:
// each snake_case field is its camelCase column, records are JSON text. Nothing else maps them.
import { z } from "zod";
import { pollSummarySchema, type PollSummary } from "../contracts/agent";
import type { Poll } from "../generated/prisma/client";

export const pollColumn = (field: string) => field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
export const POLL_FIELDS = Object.keys(pollSummarySchema.shape) as (keyof PollSummary)[];
const isJson = (f: keyof PollSummary) => pollSummarySchema.shape[f] instanceof z.ZodRecord;

/** A stored row read back, parsed with the contract's schema (not cast). */
export function pollFromRow(row: Poll): PollSummary {
  const cells = row as unknown as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  for (const f of POLL_FIELDS) {
    const v = cells[pollColumn(f)];
    raw[f] = v instanceof Date ? v.toISOString() : isJson(f) && typeof v === "string" ? JSON.parse(v) : v;
  }
  return pollSummarySchema.parse(raw);
}
