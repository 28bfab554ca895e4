import "server-only";
// Who may write (CONTRACT 6g). Two kinds of writers that never mix: machines ingest with a
// bearer token (or from loopback when no token is configured); people act as a signed-in
// identity. Every write is application/json and, from a browser, same-origin. The rules
// themselves are pure (lib/core/access.ts); this module reads them off the request.
import crypto from "node:crypto";
import { env } from "./env";
import { ApiError, addressedOrigin } from "./http";
import { getDb } from "./db";
import { getLocalIdentity, type LocalIdentity } from "./store/local-user";
import {
  crossSiteReason,
  hostRefusal,
  isEditor,
  isJsonContentType,
  isTrustedPeer,
  type Person,
} from "./core/access";
import { readSession } from "./auth/session";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** The TCP peer: set by our server (scripts/server.mjs), which overwrites any client value. */
export function peerAddress(req: Request): string {
  if (env().peerHeaderTrusted) return req.headers.get("x-l9-peer") ?? "";
  // Under `next dev`/`next start` only Next's x-forwarded-for is available (set from the socket when absent).
  return (req.headers.get("x-forwarded-for") ?? "").split(",")[0]?.trim() ?? "";
}

/** The origins this app is served from: its public URL, and the one the request addressed. */
function ownOrigins(req: Request): string[] {
  const publicUrl = env().auth.publicUrl;
  const own = [addressedOrigin(req)];
  if (publicUrl) own.push(new URL(publicUrl).origin.toLowerCase());
  return own;
}

/**
 * The one Host rule, for reads (proxy.ts) and writes (guardWrite) alike: a valid host, and on
 * a loopback-only instance a loopback name (or the public URL's host), so a DNS-rebound page
 * cannot pose as us. Returns the refusal, or null.
 */
export function hostRefusalFor(req: Request): { status: 400 | 403; message: string } | null {
  const cfg = env();
  const host = req.headers.get("host") ?? new URL(req.url).host;
  return hostRefusal(host, { boundTo: cfg.hostname, publicUrl: cfg.auth.publicUrl });
}

/** Every state-changing request: JSON, from a browser same-origin, to an allowed Host. */
export function guardWrite(req: Request): void {
  const host = hostRefusalFor(req);
  if (host) throw new ApiError(host.status === 400 ? "bad_request" : "forbidden", host.message);
  if (!isJsonContentType(req.headers.get("content-type"))) {
    throw new ApiError("forbidden", "writes must be sent as application/json");
  }
  const reason = crossSiteReason(
    { origin: req.headers.get("origin"), secFetchSite: req.headers.get("sec-fetch-site") },
    ownOrigins(req),
  );
  if (reason) throw new ApiError("forbidden", `${reason}: writes are same-origin only`);
}

const sameSecret = (given: string, token: string) => {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(token).digest();
  return crypto.timingSafeEqual(a, b);
};

function bearer(req: Request): string | null {
  const header = req.headers.get("authorization") ?? "";
  return header.startsWith("Bearer ") ? header.slice(7).trim() : null;
}

/**
 * A machine (orchestrator, exporter) ingesting: a bearer token when L9_INGEST_TOKEN is set,
 * otherwise a loopback client. Browsers never ingest: a request carrying a browser's
 * Origin or Sec-Fetch-Site, or our session cookie without a token, is refused.
 * Returns the name of the token that delivered (or "loopback").
 */
export function authorizeMachine(req: Request): string {
  guardWrite(req);
  if (req.headers.get("origin") !== null || req.headers.get("sec-fetch-site") !== null) {
    throw new ApiError("forbidden", "ingest is for machines (orchestrators, exporters), not browsers");
  }
  const tokens = env().ingestTokens;
  const given = bearer(req);
  if (tokens.length > 0) {
    const match = given ? tokens.find((t) => sameSecret(given, t.token)) : undefined;
    if (!match) throw new ApiError("unauthorized", "missing or wrong bearer token (L9_INGEST_TOKEN is set)");
    return match.name;
  }
  if (/(^|;\s*)l9_session=/.test(req.headers.get("cookie") ?? "")) {
    throw new ApiError("forbidden", "a person's session cannot ingest: ingest is for machines");
  }
  if (!LOOPBACK.test(peerAddress(req))) {
    throw new ApiError(
      "forbidden",
      "ingest is open to loopback clients only; set L9_INGEST_TOKEN to accept others",
    );
  }
  return "loopback";
}

/**
 * An agent delivering its host's polls (issue 14): always a bearer token from
 * L9_AGENT_TOKENS, loopback or not, and never a browser. Returns the host the token belongs
 * to: the only host it may write.
 */
export function authorizeAgent(req: Request): string {
  guardWrite(req);
  if (req.headers.get("origin") !== null || req.headers.get("sec-fetch-site") !== null) {
    throw new ApiError("forbidden", "agent deliveries are for machines, not browsers");
  }
  const given = bearer(req);
  const match = given ? env().server.agentTokens.find((t) => sameSecret(given, t.token)) : undefined;
  if (!match) throw new ApiError("unauthorized", "missing or wrong agent token (see L9_AGENT_TOKENS)");
  return match.host;
}

/** The signed-in person, if any: the trusted proxy's header, or the session cookie. */
export async function currentPerson(req: Request): Promise<Person | null> {
  const { auth } = env();
  if (auth.mode === "proxy" && auth.proxyHeader) {
    // The header counts only from a trusted proxy; from anyone else it is ignored.
    const value = req.headers.get(auth.proxyHeader)?.trim();
    if (!value || !isTrustedPeer(peerAddress(req), auth.proxyTrusted)) return null;
    const email = value.includes("@") ? value.toLowerCase() : null;
    return { id: value.toLowerCase(), name: value, email, groups: [], via: "proxy" };
  }
  const person = await readSession(req);
  // A session from another mode (configuration changed since) does not count.
  if (!person || person.via !== auth.mode) return null;
  // Local mode has one identity: a session under another name (older than it) does not count.
  if (person.via === "local" && (await localIdentity())?.identity !== person.id) return null;
  return person;
}

const kept = globalThis as typeof globalThis & { __l9LocalIdentity?: LocalIdentity };

/** The local identity once given (it never changes, so it is read once it exists). */
export async function localIdentity(): Promise<LocalIdentity | null> {
  kept.__l9LocalIdentity ??= (await getLocalIdentity(getDb())) ?? undefined;
  return kept.__l9LocalIdentity ?? null;
}

export const canEdit = (p: Person) => isEditor(p, env().auth.editors);

/**
 * A person acting: a same-origin JSON write by someone signed in (401 otherwise), an editor
 * unless `editor: false` (403). A machine token never acts as a person.
 */
export async function authorizePerson(req: Request, opts: { editor?: boolean } = {}): Promise<Person> {
  guardWrite(req);
  if (bearer(req) !== null) {
    throw new ApiError("forbidden", "a machine token cannot act as a person: sign in instead");
  }
  const person = await currentPerson(req);
  if (!person) throw new ApiError("unauthorized", "sign in to do this");
  if (opts.editor !== false && !canEdit(person)) {
    throw new ApiError("forbidden", `${person.id} is not an editor (L9_EDITORS)`);
  }
  return person;
}

/** Where a person's write came from, for the audit log. */
export function requestOrigin(req: Request): { fromAddr: string; userAgent: string } {
  return {
    fromAddr: peerAddress(req) || "unknown",
    userAgent: (req.headers.get("user-agent") ?? "").slice(0, 300),
  };
}
