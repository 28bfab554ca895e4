import "server-only";
import { env } from "../env";
import { ApiError, readJsonBody, zodToApiError } from "../http";
import { authorizeMachine } from "../access";
import { activeIndexersSnapshotSchema, readEventsBatchSchema } from "../contracts/ingest";
import { allocationFailedBatchSchema } from "../contracts/ingest";
import { getCollector } from "../collector/runtime";
import { getDb } from "../db";
import { recordReadEvents } from "../store/instances";
import { recordAllocationFailures } from "../store/instances";
import { countReads } from "../collector/counters";

/** A server has no orchestrators of its own: their snapshots go to their host's agent. */
function refuseOnServer(): void {
  if (env().role === "server")
    throw new ApiError(
      "conflict",
      "this app is a team server (L9_ROLE=server): send orchestrator snapshots and read events to the agent on their machine",
    );
}

export async function ingestActiveIndexers(req: Request) {
  refuseOnServer();
  const token = authorizeMachine(req);
  const parsed = activeIndexersSnapshotSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  // The sources page shows which token delivered each instance's snapshots.
  const { ignored, restart } = await getCollector().ingestSnapshot(parsed.data, `push:${token}`);
  return {
    accepted: true,
    ignored,
    restart: restart
      ? {
          previous_started_at: restart.previousStartedAt?.toISOString() ?? null,
          started_at: restart.startedAt.toISOString(),
        }
      : null,
  };
}

export async function ingestReadEvents(req: Request) {
  refuseOnServer();
  authorizeMachine(req);
  const parsed = readEventsBatchSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  const { instance_id, events } = parsed.data;
  const n = await recordReadEvents(
    getDb(),
    events.map((e) => ({
      instanceId: instance_id,
      at: e.at,
      project: e.project,
      servedBy: e.served_by,
      dockerOk: e.docker_ok,
      latencyMs: e.latency_ms ?? null,
      cacheAgeMs: e.cache_age_ms ?? null,
      fallbackVia: e.fallback_via ?? null,
    })),
    env().simulated,
  );
  countReads(events);
  return { accepted: n };
}

/** CONTRACT 7c: refused binds, counted in Phase 3's "port conflicts eliminated". */
export async function ingestAllocationFailed(req: Request) {
  refuseOnServer();
  authorizeMachine(req);
  const parsed = allocationFailedBatchSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  const { instance_id, events } = parsed.data;
  const n = await recordAllocationFailures(
    getDb(),
    events.map((e) => ({
      instanceId: instance_id,
      at: e.at,
      project: e.project,
      port: e.port,
      message: e.message,
    })),
    env().simulated,
  );
  return { accepted: n };
}
