import "server-only";
import { env } from "../env";
import { ApiError, readJsonBody, refuseFutureTimes, zodToApiError } from "../http";
import { authorizeMachine } from "../access";
import {
  activeIndexersSnapshotSchema,
  allocationFailedBatchSchema,
  MAX_READ_EVENTS_PER_BATCH,
  rawEventCount,
  rawSnapshotEntries,
  readEventsBatchSchema,
  snapshotProjects,
} from "../contracts/ingest";
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

export async function ingestActiveIndexers(req: Request, now: Date = new Date()) {
  refuseOnServer();
  const token = authorizeMachine(req);
  const raw = await readJsonBody(req);
  // Counted before validation: an oversized snapshot costs neither parsing nor a poll.
  const max = env().maxProjects;
  const entries = rawSnapshotEntries(raw);
  if (entries > max)
    throw new ApiError(
      "payload_too_large",
      `indexers: ${entries} projects in one snapshot; at most ${max} (L9_MAX_PROJECTS)`,
      "indexers",
    );
  const parsed = activeIndexersSnapshotSchema.safeParse(raw);
  if (!parsed.success) throw zodToApiError(parsed.error);
  refuseFutureTimes(parsed.data, now);
  const held = await getCollector().heldProjects(parsed.data.instance_id);
  const mine = snapshotProjects(parsed.data);
  if (held + mine > max)
    throw new ApiError(
      "payload_too_large",
      `indexers: the other live orchestrator instances hold ${held} projects; with this snapshot's ${mine} ` +
        `that is more than ${max} (L9_MAX_PROJECTS)`,
      "indexers",
    );
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

export async function ingestReadEvents(req: Request, now: Date = new Date()) {
  refuseOnServer();
  authorizeMachine(req);
  const raw = await readJsonBody(req);
  const count = rawEventCount(raw);
  if (count > MAX_READ_EVENTS_PER_BATCH)
    throw new ApiError(
      "payload_too_large",
      `events: ${count} events in one batch; at most ${MAX_READ_EVENTS_PER_BATCH}`,
      "events",
    );
  const parsed = readEventsBatchSchema.safeParse(raw);
  if (!parsed.success) throw zodToApiError(parsed.error);
  refuseFutureTimes(parsed.data, now);
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
