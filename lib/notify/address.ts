// Where a webhook may go: only hosts the operator allows (L9_WEBHOOK_ALLOWED_HOSTS, or the
// hosts of L9_WEBHOOKS; `*` opens every public host); loopback, private, link-local and every
// other special range (IPv4-mapped included) only when listed by name or address, never by
// `*`; the Docker daemon's own address (DOCKER_HOST) never.
import dns from "node:dns";
import { BlockList, isIP } from "node:net";
import os from "node:os";
import { normalHost, type Env } from "../env";

export type HostEntry = { host: string; port: number | null };
export type TargetPolicy = {
  allowed: readonly HostEntry[];
  /** the hosts of L9_WEBHOOKS channels */
  named: readonly HostEntry[];
  /** DOCKER_HOST when it is tcp:// or http:// */
  docker: { host: string; port: number } | null;
};
export type Resolved = { address: string; family: number };
export type Resolve = (host: string) => Promise<Resolved[]>;

export const systemResolve: Resolve = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

export function policyOf(cfg: Env): TargetPolicy {
  const m = /^(?:tcp|http):\/\/([^/]+)/.exec(cfg.dockerHost);
  const u = m && URL.canParse(`http://${m[1]}/`) ? new URL(`http://${m[1]}/`) : null;
  return {
    allowed: cfg.notify.allowedHosts,
    // The operator named the hosts of L9_WEBHOOKS: public ones need no listing (special ranges still do).
    named: cfg.notify.webhooks.map((w) => targetOf(new URL(w.url))),
    docker: u ? { host: normalHost(u.hostname), port: Number(u.port || 80) } : null,
  };
}

// First match wins: the IPv4 ranges also catch their IPv4-mapped forms (::ffff:a.b.c.d).
const RANGES: [string, number, "ipv4" | "ipv6", string][] = [
  ["0.0.0.0", 8, "ipv4", "unspecified"],
  ["10.0.0.0", 8, "ipv4", "private"],
  ["100.64.0.0", 10, "ipv4", "shared (carrier-grade NAT)"],
  ["127.0.0.0", 8, "ipv4", "loopback"],
  ["169.254.0.0", 16, "ipv4", "link-local"],
  ["172.16.0.0", 12, "ipv4", "private"],
  ["192.0.0.0", 24, "ipv4", "reserved"],
  ["192.0.2.0", 24, "ipv4", "documentation"],
  ["192.88.99.0", 24, "ipv4", "reserved"],
  ["192.168.0.0", 16, "ipv4", "private"],
  ["198.18.0.0", 15, "ipv4", "benchmarking"],
  ["198.51.100.0", 24, "ipv4", "documentation"],
  ["203.0.113.0", 24, "ipv4", "documentation"],
  ["224.0.0.0", 4, "ipv4", "multicast"],
  ["240.0.0.0", 4, "ipv4", "reserved"],
  ["::", 128, "ipv6", "unspecified"],
  ["::1", 128, "ipv6", "loopback"],
  ["::ffff:0:0", 96, "ipv6", "public"],
  ["64:ff9b::", 96, "ipv6", "NAT64"],
  ["64:ff9b:1::", 48, "ipv6", "NAT64"],
  ["100::", 64, "ipv6", "discard"],
  ["2001:db8::", 32, "ipv6", "documentation"],
  ["2001::", 23, "ipv6", "reserved"],
  ["2002::", 16, "ipv6", "6to4"],
  ["3fff::", 20, "ipv6", "documentation"],
  ["5f00::", 16, "ipv6", "reserved"],
  ["fc00::", 7, "ipv6", "unique local (private)"],
  ["fe80::", 10, "ipv6", "link-local"],
  ["fec0::", 10, "ipv6", "site-local"],
  ["ff00::", 8, "ipv6", "multicast"],
];
const LISTS = RANGES.map(([net, prefix, family, label]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, family);
  return { list, label };
});
const GLOBAL_UNICAST = new BlockList();
GLOBAL_UNICAST.addSubnet("2000::", 3, "ipv6");

const familyOf = (ip: string) => (isIP(ip) === 6 ? "ipv6" : "ipv4");

/** The special range an IP address is in ("loopback", "private"…), or null for a public one. */
export function specialRange(ip: string): string | null {
  if (!isIP(ip)) return "not an IP address";
  const hit = LISTS.find((r) => r.list.check(ip, familyOf(ip)));
  if (hit) return hit.label === "public" ? null : hit.label;
  // The rest of IPv6 outside 2000::/3 is unallocated or reserved.
  return familyOf(ip) === "ipv6" && !GLOBAL_UNICAST.check(ip, "ipv6") ? "reserved" : null;
}

/** Two spellings of one address (IPv4-mapped IPv6, zeros written out) are the same. */
export function sameIp(a: string, b: string): boolean {
  if (!isIP(a) || !isIP(b)) return false;
  const list = new BlockList();
  list.addAddress(a, familyOf(a));
  return list.check(b, familyOf(b));
}

/** This machine: loopback, unspecified (0.0.0.0 reaches it) or one of its interfaces' addresses. */
function isThisMachine(ip: string): boolean {
  const range = specialRange(ip);
  if (range === "loopback" || range === "unspecified") return true;
  return Object.values(os.networkInterfaces()).some((addrs) =>
    (addrs ?? []).some((a) => sameIp(a.address.replace(/%.*$/, ""), ip)),
  );
}

export type Target = { host: string; port: number };
export const targetOf = (u: URL): Target => ({
  host: normalHost(u.hostname),
  port: u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80,
});

export const DOCKER_RULE = "the Docker daemon's address (DOCKER_HOST)";
export const listRule = (range: string) => `${range} address not in L9_WEBHOOK_ALLOWED_HOSTS`;

/** The Docker daemon at any address that reaches it: its own, or this machine's when it is local. */
async function isDocker(t: Target, ips: readonly string[], p: TargetPolicy, resolve: Resolve) {
  const d = p.docker;
  if (!d || d.port !== t.port) return false;
  if (d.host === t.host.toLowerCase()) return true;
  const dockerIps = isIP(d.host)
    ? [d.host]
    : await resolve(d.host).then(
        (a) => a.map((x) => x.address),
        () => [],
      );
  const local = dockerIps.some(isThisMachine);
  return ips.some((ip) => (local && isThisMachine(ip)) || dockerIps.some((dip) => sameIp(ip, dip)));
}

const listed = (t: Target, ip: string, p: Pick<TargetPolicy, "allowed">) =>
  p.allowed.some(
    (e) => (e.port === null || e.port === t.port) && (e.host === t.host.toLowerCase() || sameIp(e.host, ip)),
  );
const anyPublic = (p: TargetPolicy) => p.allowed.some((e) => e.host === "*");
export const UNLISTED_RULE = "host not in L9_WEBHOOK_ALLOWED_HOSTS";

/**
 * Why a target is refused (a rule, never an address), or null when every address its host
 * resolved to may be reached.
 */
export async function refusal(
  t: Target,
  ips: readonly string[],
  p: TargetPolicy,
  resolve: Resolve = systemResolve,
): Promise<string | null> {
  if (await isDocker(t, ips, p, resolve)) return DOCKER_RULE;
  for (const ip of ips) {
    const range = specialRange(ip);
    if (range && !listed(t, ip, p)) return listRule(range);
  }
  const all = { allowed: [...p.allowed, ...p.named] };
  if (anyPublic(p) || listed(t, "", all) || ips.some((ip) => listed(t, ip, all))) return null;
  return UNLISTED_RULE;
}

/** A name server that does not answer does not hold up saving a channel. */
const SAVE_LOOKUP_MS = 3000;

/**
 * The check when a channel is saved: an IP literal as it is, a name as it resolves now (a name
 * that does not resolve here passes: delivery checks every connection again).
 */
export async function checkWebhookUrl(
  url: string,
  p: TargetPolicy,
  resolve: Resolve = systemResolve,
): Promise<string | null> {
  const t = targetOf(new URL(url));
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<Resolved[]>((_, reject) => (timer = setTimeout(reject, SAVE_LOOKUP_MS)));
  // RFC 6761: localhost and every name under it are loopback, whatever a resolver says.
  const ips = isIP(t.host)
    ? [t.host]
    : /(^|\.)localhost$/.test(t.host)
      ? ["127.0.0.1"]
      : await Promise.race([resolve(t.host), slow])
          .then(
            (a) => a.map((x) => x.address),
            () => [],
          )
          .finally(() => clearTimeout(timer));
  return refusal(t, ips, p, resolve);
}
