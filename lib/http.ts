// One route-handler contract: JSON helpers, one error envelope
// { "error": { "code", "message", "field"? } }, one code-to-status table, and a generic 500
// that leaks nothing.
import { ZodError } from "zod";
import { FUTURE_TOLERANCE_MS, futureTimeField, InputError } from "./core/time";
import { MAX_INGEST_BYTES } from "./contracts/ingest";

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** extra response headers, e.g. Retry-After on a 429 */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function errorResponse(
  code: ErrorCode,
  message: string,
  field?: string,
  headers: Record<string, string> = {},
): Response {
  return json(
    { error: field === undefined ? { code, message } : { code, message, field } },
    ERROR_STATUS[code],
    headers,
  );
}

/** A row id from a path segment: a positive integer that fits the database's INTEGER, else null. */
export function rowId(raw: string): number | null {
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 2_147_483_647 ? n : null;
}

/** A dotted path for a zod issue, e.g. "indexers.alpha.port". */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

export function zodToApiError(err: ZodError): ApiError {
  const first = err.issues[0];
  // An issue at the root (e.g. the body is a list, not an object) names the body itself.
  const field = (first && issuePath(first.path)) || "body";
  const message = first ? `${field}: ${first.message}` : "invalid input";
  return new ApiError("bad_request", message, field);
}

/** Wraps a handler so thrown ApiErrors become envelopes and anything else a generic 500. */
export function handle<A extends unknown[]>(
  fn: (...args: A) => Promise<Response>,
): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof ApiError) return errorResponse(err.code, err.message, err.field, err.headers);
      if (err instanceof InputError) return errorResponse("bad_request", err.message, err.field);
      if (err instanceof ZodError) {
        const e = zodToApiError(err);
        return errorResponse(e.code, e.message, e.field);
      }
      console.error("[api] unhandled error", err);
      return errorResponse("internal", "internal error");
    }
  };
}

/** An ingested body's times (every Date its schema produced): one from the sender's future
 * would outrank every later real one, so it is refused, naming the field. */
export function refuseFutureTimes(body: unknown, now: Date): void {
  const field = futureTimeField(body, now);
  if (field !== null)
    throw new ApiError(
      "bad_request",
      `${field}: is more than ${FUTURE_TOLERANCE_MS / 60_000} minutes ahead of this server's clock (${now.toISOString()})`,
      field,
    );
}

/** Reads a JSON body of at most `maxBytes` (1 MiB unless a route says otherwise). */
export async function readJsonBody(req: Request, maxBytes: number = MAX_INGEST_BYTES): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes)
    throw new ApiError("payload_too_large", `body is ${declared} bytes; the limit is ${maxBytes}`);
  const reader = req.body?.getReader();
  if (!reader) throw new ApiError("bad_request", "empty body: expected a JSON object", "body");
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ApiError("payload_too_large", `body exceeds ${maxBytes} bytes`);
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

/**
 * The origin the client addressed: the Host header (what the browser put in Origin too) with
 * the request's scheme. Next's own request URL may name another host for the same server.
 */
export function addressedOrigin(req: Request): string {
  const url = new URL(req.url);
  const host = req.headers.get("host") ?? url.host;
  return `${url.protocol}//${host}`.toLowerCase();
}
