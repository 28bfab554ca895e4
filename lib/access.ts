import "server-only";
// Who may write: the access rules shared by every write route (CONTRACT 6g).
import crypto from "node:crypto";
import { env } from "./env";
import { ApiError } from "./http";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** The TCP peer: set by our server (scripts/server.mjs), which overwrites any client value. */
export function peerAddress(req: Request): string {
  if (env().peerHeaderTrusted) return req.headers.get("x-l9-peer") ?? "";
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
    if (!given || !crypto.timingSafeEqual(a, b))
      throw new ApiError("unauthorized", "missing or wrong bearer token (L9_INGEST_TOKEN is set)");
    return;
  }
  const peer = peerAddress(req);
  if (!LOOPBACK.test(peer))
    throw new ApiError(
      "forbidden",
      "ingest is open to loopback clients only; set L9_INGEST_TOKEN to accept others",
    );
}
