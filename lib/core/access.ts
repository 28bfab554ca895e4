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
