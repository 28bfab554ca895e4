import "server-only";
import crypto from "node:crypto";
import { env } from "../env";
import { ApiError } from "../http";
import { MAX_INGEST_BYTES, activeIndexersSnapshotSchema, readEventsBatchSchema } from "../contracts/ingest";
import { zodToApiError } from "../http";
import { getCollector } from "../collector/runtime";
import { getDb } from "../db";
import { recordReadEvents } from "../store/instances";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** The TCP peer: set by our server (scripts/server.mjs), which overwrites any client value. */
function peerAddress(req: Request): string {
  if (process.env.L9_PEER_HEADER_TRUSTED === "1") return req.headers.get("x-l9-peer") ?? "";
  // Under `next dev`/`next start` only Next's x-forwarded-for is available (set from the socket when absent).
  return (req.headers.get("x-forwarded-for") ?? "").split(",")[0]?.trim() ?? "";
}

/** Bearer token when L9_INGEST_TOKEN is set; otherwise loopback clients only. */
export function authorizeIngest(req: Request): void {
  const token = env().ingestToken;
  if (token) {
    const header = req.headers.get("authorization") ?? "";
    const given = header.startsWith("Bearer ") ? header.slice(7) : "";
    const a = crypto.createHash("sha256").update(given).digest();
    const b = crypto.createHash("sha256").update(token).digest();
    if (!given || !crypto.timingSafeEqual(a, b)) throw new ApiError("unauthorized", "missing or wrong bearer token (L9_INGEST_TOKEN is set)");
    return;
  }
  const peer = peerAddress(req);
  if (!LOOPBACK.test(peer)) throw new ApiError("forbidden", "ingest is open to loopback clients only; set L9_INGEST_TOKEN to accept others");
}

/** Reads a JSON body of at most 1 MiB. */
export async function readJsonBody(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > MAX_INGEST_BYTES) throw new ApiError("payload_too_large", `body is ${declared} bytes; the limit is ${MAX_INGEST_BYTES}`);
  const reader = req.body?.getReader();
  if (!reader) throw new ApiError("bad_request", "empty body: expected a JSON object", "body");
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_INGEST_BYTES) {
      await reader.cancel();
      throw new ApiError("payload_too_large", `body exceeds ${MAX_INGEST_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) throw new ApiError("bad_request", "empty body: expected a JSON object", "body");
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "body is not valid JSON", "body");
  }
}

export async function ingestActiveIndexers(req: Request) {
  authorizeIngest(req);
  const parsed = activeIndexersSnapshotSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  const { ignored, restart } = await getCollector().ingestSnapshot(parsed.data, "push");
  return { accepted: true, ignored, restart: restart ? { previous_started_at: restart.previousStartedAt?.toISOString() ?? null, started_at: restart.startedAt.toISOString() } : null };
}

export async function ingestReadEvents(req: Request) {
  authorizeIngest(req);
  const parsed = readEventsBatchSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  const { instance_id, events } = parsed.data;
  const n = await recordReadEvents(
    getDb(),
    events.map((e) => ({ instanceId: instance_id, at: e.at, project: e.project, servedBy: e.served_by, dockerOk: e.docker_ok, latencyMs: e.latency_ms ?? null })),
    env().simulated,
  );
  return { accepted: n };
}
