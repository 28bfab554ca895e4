import "server-only";
// OpenID Connect sign-in with openid-client (authorization code + PKCE, state and nonce):
// no protocol code of our own. Works with any standard provider (Google Workspace, Okta,
// Keycloak, Dex, GitHub through Dex).
import * as client from "openid-client";
import { env, isLoopbackHost } from "../env";
import { addressedOrigin } from "../http";
import type { Person } from "../core/access";
import type { LoginState } from "./session";

const g = globalThis as typeof globalThis & { __l9Oidc?: Promise<client.Configuration> };

function settings() {
  const oidc = env().auth.oidc;
  if (!oidc) throw new Error("OpenID Connect is not configured (L9_OIDC_ISSUER)");
  return oidc;
}

/** The provider's metadata, discovered once. Plain http is allowed only for a loopback issuer (tests, local IdPs). */
function configuration(): Promise<client.Configuration> {
  g.__l9Oidc ??= (async () => {
    const { issuer, clientId, clientSecret } = settings();
    const url = new URL(issuer);
    const insecure = url.protocol === "http:" && isLoopbackHost(url.hostname);
    // client_secret_basic: the default every standard provider accepts (OIDC Core 9).
    return client.discovery(url, clientId, undefined, client.ClientSecretBasic(clientSecret), {
      ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
      timeout: 10,
    });
  })().catch((err: unknown) => {
    g.__l9Oidc = undefined;
    throw err;
  });
  return g.__l9Oidc;
}

/** Where the provider sends the browser back. */
export function redirectUri(req: Request): string {
  const base = env().auth.publicUrl ?? addressedOrigin(req);
  return new URL("/api/auth/callback", base).toString();
}

/** The provider's authorization URL and the state to keep (sealed in a cookie) until the callback. */
export async function startLogin(req: Request, back: string): Promise<{ url: URL; state: LoginState }> {
  const config = await configuration();
  const verifier = client.randomPKCECodeVerifier();
  const state: LoginState = { state: client.randomState(), nonce: client.randomNonce(), verifier, back };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(req),
    scope: "openid email profile",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: state.state,
    nonce: state.nonce,
  });
  return { url, state };
}

/** Exchanges the code (checking state, nonce and PKCE) and returns who signed in. */
export async function finishLogin(req: Request, login: LoginState): Promise<Person> {
  const config = await configuration();
  const current = new URL(req.url);
  // Behind a proxy the request URL may not be the public one the provider redirected to.
  const callback = new URL(`${redirectUri(req)}${current.search}`);
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: login.verifier,
    expectedState: login.state,
    expectedNonce: login.nonce,
  });
  const idClaims = tokens.claims();
  if (!idClaims) throw new Error("the provider returned no ID token");
  // Many providers put email, name and groups only in the UserInfo response.
  const info =
    typeof idClaims.email === "string"
      ? {}
      : await client.fetchUserInfo(config, tokens.access_token, idClaims.sub).catch(() => ({}));
  const claims: Record<string, unknown> & { sub: string } = { ...info, ...idClaims };
  const email = typeof claims.email === "string" ? claims.email.toLowerCase() : null;
  const name = typeof claims.name === "string" && claims.name ? claims.name : (email ?? claims.sub);
  const groups = Array.isArray(claims.groups)
    ? claims.groups.filter((x): x is string => typeof x === "string")
    : [];
  return { id: email ?? `${settings().issuer}#${claims.sub}`, name, email, groups, via: "oidc" };
}
