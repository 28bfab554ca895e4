import "server-only";
import { env, retentionLimit } from "../env";
import { getDb } from "../db";
import { ApiError, readJsonBody, zodToApiError } from "../http";
import { dockerCounters } from "../docker/client";
import { FUTURE_TOLERANCE_MS, parseWindow } from "../core/time";
import { setPhase } from "../store/phases";
import { evaluateAt, hostFilter } from "./evaluate";
import { setPhaseSchema, type PhasesReport } from "../contracts/phases";
import { authorizePerson, requestOrigin } from "../access";
import { afterSettingsChange } from "../collector/runtime";

export async function getPhases(search: URLSearchParams, now: Date = new Date()): Promise<PhasesReport> {
  return evaluateAt(
    getDb(),
    env(),
    parseWindow(search.get("window"), retentionLimit(env())),
    now,
    dockerCounters.refusedWrites,
    hostFilter(search),
  );
}

/** POST /api/v1/phases/current: an editor records the current phase (audited). */
export async function postPhase(req: Request, now: Date = new Date()): Promise<PhasesReport> {
  const person = await authorizePerson(req);
  const parsed = setPhaseSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  const { phase, started_at, note } = parsed.data;
  if (started_at && started_at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    throw new ApiError(
      "bad_request",
      `started_at: ${started_at.toISOString()} is in the future; a phase starts now or earlier`,
      "started_at",
    );
  const audit = { at: now, actor: person.id, via: person.via, ...requestOrigin(req) };
  await setPhase(getDb(), { phase, startedAt: started_at ?? now, setBy: person.id, note }, now, audit);
  // Label findings weigh on health from Phase 1's start on (CONTRACT 6e): tell the collector.
  await afterSettingsChange(now, "phases");
  return evaluateAt(getDb(), env(), null, now, dockerCounters.refusedWrites);
}
