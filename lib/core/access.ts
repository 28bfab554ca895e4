// Pure access rules (CONTRACT 6g): same-origin writes, editors, proxy trust. No I/O.

export type AuthModeName = "local" | "oidc" | "proxy";

export type Person = { id: string; name: string; email: string | null; groups: string[]; via: AuthModeName };

/**
 * Whether a write request may come from this browser context. Non-browser clients send
 * neither header and pass; a browser's request must be same-origin by `Sec-Fetch-Site` and,
 * when it sends `Origin`, by that too. Returns the reason for a refusal, or null.
 */
export function crossSiteReason(
  headers: { origin: string | null; secFetchSite: string | null },
  ownOrigins: readonly string[],
): string | null {
  const site = headers.secFetchSite?.toLowerCase() ?? null;
  if (site !== null && site !== "same-origin") return `a ${site} request may not write here`;
  if (headers.origin !== null && !ownOrigins.includes(headers.origin.toLowerCase())) {
    return `requests from ${headers.origin} may not write here`;
  }
  return null;
}

/** `application/json`, with or without parameters. */
export function isJsonContentType(value: string | null): boolean {
  return value !== null && /^application\/json\s*(;|$)/i.test(value.trim());
}

/** Editors: everyone signed in when the list is empty, else listed identities or groups. */
export function isEditor(person: Person, editors: readonly string[]): boolean {
  if (editors.length === 0) return true;
  const names = [person.id, person.email, ...person.groups].filter((x): x is string => !!x);
  return names.some((n) => editors.includes(n.toLowerCase()));
}

/** Whether an address is one of the trusted proxies (exact addresses; IPv4-mapped IPv6 folded). */
export function isTrustedPeer(peer: string, trusted: readonly string[]): boolean {
  const fold = (a: string) => a.replace(/^::ffff:/i, "").toLowerCase();
  return peer !== "" && trusted.map(fold).includes(fold(peer));
}

const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
/** A loopback name or address as a bind address or a URL's hostname (127.0.0.0/8, ::1, localhost). */
export const isLoopbackHost = (h: string) => LOOPBACK_NAMES.has(h) || /^127\.\d+\.\d+\.\d+$/.test(h);

/**
 * The hostname a Host header names, or null when it is no valid `name[:port]` / `[v6][:port]`
 * (a space, a path, user info). Parsed as a URL's authority, so `127.1` reads as 127.0.0.1.
 */
export function hostOfHeader(value: string): string | null {
  if (!/^[A-Za-z0-9._~!$&'()*+,;=%:[\]-]+$/.test(value) || !URL.canParse(`http://${value}`)) return null;
  const url = new URL(`http://${value}`);
  if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) return null;
  return url.hostname;
}

/**
 * Whether a request's Host may be served (reads and writes alike). Every Host must be valid; an
 * instance bound to loopback answers only to loopback names and its public URL's host, so a page
 * whose DNS name is rebound to 127.0.0.1 cannot read it. Returns a refusal, or null.
 */
export function hostRefusal(
  hostHeader: string,
  instance: { boundTo: string; publicUrl: string | null },
): { status: 400 | 403; message: string } | null {
  const host = hostOfHeader(hostHeader);
  if (host === null) return { status: 400, message: "the Host header is not a valid host[:port]" };
  if (!isLoopbackHost(instance.boundTo)) return null;
  const publicHost =
    instance.publicUrl && URL.canParse(instance.publicUrl) ? new URL(instance.publicUrl).hostname : null;
  if (isLoopbackHost(host) || host === publicHost) return null;
  return {
    status: 403,
    message: `this instance is loopback-only: address it as 127.0.0.1 or localhost${publicHost ? ` (or ${publicHost})` : ""}, not ${host}`,
  };
}

/**
 * Where to send a person back to after sign-in: `raw` resolved against the app's own origin
 * by the URL parser (as a browser would), kept only when it stays on that origin; else "/".
 * Returns a path, with a leading run of slashes folded so no browser can read it as a host.
 */
export function sameOriginBack(raw: string | null | undefined, ownOrigin: string): string {
  if (!raw || !URL.canParse(raw, ownOrigin)) return "/";
  const url = new URL(raw, ownOrigin);
  if (url.origin !== new URL(ownOrigin).origin) return "/";
  return `${url.pathname.replace(/^\/+/, "/")}${url.search}${url.hash}`;
}
