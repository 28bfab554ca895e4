import "server-only";
// Sign-in: who is signed in, the local user's name, OpenID Connect's redirect and callback.
import { env } from "../env";
import { ApiError, addressedOrigin, json, readJsonBody, zodToApiError } from "../http";
import { canEdit, currentPerson, guardWrite, localIdentity } from "../access";
import { getDb } from "../db";
import { claimLocalIdentity } from "../store/local-user";
import { sameOriginBack } from "../core/access";
import { localSignInSchema, type ApiSession } from "../contracts/auth";
import {
  clearLoginCookie,
  clearSessionCookie,
  loginCookie,
  readLoginState,
  sessionCookie,
} from "../auth/session";
import { finishLogin, startLogin } from "../auth/oidc";
import { log } from "../log";

export async function getSession(req: Request): Promise<ApiSession> {
  const { auth } = env();
  const person = await currentPerson(req);
  return {
    mode: auth.mode,
    person: person ? { id: person.id, name: person.name, via: person.via, editor: canEdit(person) } : null,
    sign_in:
      auth.mode === "oidc"
        ? { kind: "link", href: "/api/auth/login" }
        : auth.mode === "proxy"
          ? { kind: "proxy", header: auth.proxyHeader ?? "" }
          : { kind: "name" },
    require_sign_in: auth.requireSignIn,
    review_min_sign_offs: auth.reviewMinSignOffs,
  };
}

/** POST /api/v1/session (local mode only): the single local user gives a name once. */
export async function signInLocal(req: Request, now: Date = new Date()): Promise<Response> {
  guardWrite(req);
  if (env().auth.mode !== "local") {
    throw new ApiError(
      "forbidden",
      `sign-in here is through ${env().auth.mode === "oidc" ? "OpenID Connect" : "the proxy"}`,
    );
  }
  const parsed = localSignInSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  // One local identity per installation: the first name given is kept, another is refused
  // (signing a person in under a name they did not type would hide the rule from them).
  const given = parsed.data.name;
  const keptBefore = await localIdentity();
  const kept = keptBefore ?? (await claimLocalIdentity(getDb(), given, now));
  if (kept.identity !== given.toLowerCase()) {
    throw new ApiError(
      "conflict",
      `this installation's local user is "${kept.name}": local mode has one identity, given once. ` +
        "Sign in as that name, or configure OpenID Connect (L9_OIDC_*) or a trusted proxy header " +
        "(L9_AUTH_PROXY_HEADER) for several people",
      "name",
    );
  }
  if (!keptBefore) log("auth", "info", "local identity kept", { id: kept.identity });
  const name = kept.name;
  const person = { id: kept.identity, name, email: null, groups: [], via: "local" as const };
  const body = { mode: "local", person: { id: person.id, name, via: person.via, editor: canEdit(person) } };
  return json(body, 200, { "set-cookie": await sessionCookie(req, person) });
}

/** DELETE /api/v1/session: sign out. */
export function signOut(req: Request): Response {
  guardWrite(req);
  return json({ signed_out: true }, 200, { "set-cookie": clearSessionCookie(req) });
}

/** Only a place on this app's own origin (URL-parsed): never an open redirect. */
function safeBack(req: Request, raw: string | null): string {
  return sameOriginBack(raw, env().auth.publicUrl ?? addressedOrigin(req));
}

/** GET /api/auth/login: to the provider, with state, nonce and PKCE kept in a sealed cookie. */
export async function oidcLogin(req: Request): Promise<Response> {
  if (env().auth.mode !== "oidc") throw new ApiError("not_found", "OpenID Connect is not configured");
  const back = safeBack(req, new URL(req.url).searchParams.get("back"));
  let started;
  try {
    started = await startLogin(req, back);
  } catch (err) {
    log("auth", "error", "OpenID provider unreachable", { error: (err as Error).message });
    throw new ApiError("unavailable", "the sign-in provider did not answer; try again shortly");
  }
  return new Response(null, {
    status: 302,
    headers: {
      location: started.url.toString(),
      "set-cookie": await loginCookie(req, started.state),
      "cache-control": "no-store",
    },
  });
}

/** GET /api/auth/callback: the provider sends the browser back here with a code. */
export async function oidcCallback(req: Request): Promise<Response> {
  if (env().auth.mode !== "oidc") throw new ApiError("not_found", "OpenID Connect is not configured");
  const login = await readLoginState(req);
  if (!login)
    throw new ApiError("bad_request", "the sign-in expired or was started elsewhere; sign in again");
  let person;
  try {
    person = await finishLogin(req, login);
  } catch (err) {
    log("auth", "warn", "OpenID sign-in refused", { error: (err as Error).message });
    throw new ApiError("unauthorized", "the sign-in could not be verified; sign in again");
  }
  log("auth", "info", "signed in", { id: person.id, via: "oidc" });
  const headers = new Headers({ location: safeBack(req, login.back), "cache-control": "no-store" });
  headers.append("set-cookie", await sessionCookie(req, person));
  headers.append("set-cookie", clearLoginCookie(req));
  return new Response(null, { status: 302, headers });
}
