import "server-only";
import { z } from "zod";
import { env } from "../env";
import { getDb } from "../db";
import { ApiError, zodToApiError } from "../http";
import { dockerCounters } from "../docker/client";
import { parseDuration } from "../core/time";
import { evaluateAt, setPhase, type PhasesReport } from "../store/phases";
import { isoDateTime } from "../contracts/ingest";
import { authorizeIngest, readJsonBody } from "./ingest";

export function parseWindow(raw: string | null): string | null {
  if (raw === null || raw === "") return null;
  if (parseDuration(raw) === null) throw new ApiError("bad_request", "window: expected a duration such as 30m, 24h, 7d or 4w", "window");
  return raw;
}

export async function getPhases(search: URLSearchParams, now: Date = new Date()): Promise<PhasesReport> {
  return evaluateAt(getDb(), env(), parseWindow(search.get("window")), now, dockerCounters.refusedWrites);
}

const setPhaseSchema = z.object({
  phase: z.number().int().min(0).max(4),
  started_at: isoDateTime.optional(),
  set_by: z.string().trim().min(1).max(200),
  note: z.string().max(5000).default(""),
});

/** POST /api/v1/phases/current: the same access rule as ingest (token, else loopback). */
export async function postPhase(req: Request, now: Date = new Date()): Promise<PhasesReport> {
  authorizeIngest(req);
  const parsed = setPhaseSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  await setPhase(getDb(), { phase: parsed.data.phase, startedAt: parsed.data.started_at ?? now, setBy: parsed.data.set_by, note: parsed.data.note }, now);
  return evaluateAt(getDb(), env(), null, now, dockerCounters.refusedWrites);
}
