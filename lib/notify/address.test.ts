import os from "node:os";
import { describe, expect, test } from "vitest";
import { parseEnv } from "../env";
import { checkWebhookUrl, policyOf, specialRange, type Resolve } from "./address";

describe("specialRange: every address that is not plainly public", () => {
  test.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["10.1.2.3", "private"],
    ["172.17.0.2", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "shared (carrier-grade NAT)"],
    ["169.254.169.254", "link-local"],
    ["192.0.0.8", "reserved"],
    ["192.0.2.1", "documentation"],
    ["198.18.0.1", "benchmarking"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::7f00:1", "reserved"],
    ["64:ff9b::7f00:1", "NAT64"],
    ["2001:db8::1", "documentation"],
    ["2001::1", "reserved"],
    ["2002:7f00:1::", "6to4"],
    ["fc00::1", "unique local (private)"],
    ["fd12:3456::1", "unique local (private)"],
    ["fe80::1", "link-local"],
    ["fec0::1", "site-local"],
    ["ff02::1", "multicast"],
    ["100::1", "discard"],
    ["4000::1", "reserved"],
    ["localhost", "not an IP address"],
  ])("%s is %s", (ip, range) => {
    expect(specialRange(ip)).toBe(range);
  });

  test.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "::ffff:8.8.8.8", "2606:4700::1111"])(
    "%s is public",
    (ip) => {
      expect(specialRange(ip)).toBeNull();
    },
  );
});

/** A name resolver that knows a few names (the machine has no DNS to ask). */
const names: Record<string, string[]> = {
  "hooks.example.test": ["93.184.216.34"],
  "inside.example.test": ["10.0.0.7"],
  "mixed.example.test": ["93.184.216.34", "127.0.0.1"],
  "docker.example.test": ["127.0.0.1"],
};
const resolve: Resolve = async (host) => {
  const a = names[host] ?? (host === "localhost" ? ["127.0.0.1"] : null);
  if (!a) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
  return a.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};
const policy = (allowed = "", docker = "unix:///var/run/docker.sock") =>
  policyOf(parseEnv({ L9_WEBHOOK_ALLOWED_HOSTS: allowed, DOCKER_HOST: docker }));

describe("checkWebhookUrl: the URL parser's host, resolved, against the rules", () => {
  test.each([
    ["loopback", "http://127.0.0.1:9000/x", "", "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS"],
    ["localhost", "http://localhost:9000/x", "", "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS"],
    [
      "a name under localhost",
      "http://evil.localhost:9000/x",
      "",
      "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS",
    ],
    ["decimal IPv4", "http://2130706433:9000/", "", "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS"],
    ["octal IPv4", "http://0177.0.0.1:9000/", "", "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS"],
    ["hex IPv4", "http://0x7f000001:9000/", "", "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS"],
    ["short IPv4", "http://127.1:9000/", "", "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS"],
    ["IPv6 loopback", "http://[::1]:9000/", "", "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS"],
    [
      "IPv4-mapped",
      "http://[::ffff:127.0.0.1]:9000/",
      "",
      "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS",
    ],
    ["unspecified", "http://0.0.0.0:9000/", "", "unspecified address not in L9_WEBHOOK_ALLOWED_HOSTS"],
    ["zero", "http://0/", "", "unspecified address not in L9_WEBHOOK_ALLOWED_HOSTS"],
    [
      "cloud metadata",
      "http://169.254.169.254/latest/meta-data",
      "",
      "link-local address not in L9_WEBHOOK_ALLOWED_HOSTS",
    ],
    ["Docker bridge", "http://172.17.0.2:8080/", "", "private address not in L9_WEBHOOK_ALLOWED_HOSTS"],
    [
      "a name inside",
      "https://inside.example.test/hook",
      "",
      "private address not in L9_WEBHOOK_ALLOWED_HOSTS",
    ],
    [
      "a name with one address inside",
      "https://mixed.example.test/",
      "",
      "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS",
    ],
    [
      "another port than listed",
      "http://127.0.0.1:9001/",
      "127.0.0.1:9000",
      "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS",
    ],
    [
      "another loopback address than listed",
      "http://127.0.0.2:9000/",
      "127.0.0.1:9000",
      "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS",
    ],
    [
      "a listed name does not list its neighbours",
      "http://127.0.0.1:9000/",
      "localhost:9001",
      "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS",
    ],
    ["a public name not listed", "https://hooks.example.test/x", "", "host not in L9_WEBHOOK_ALLOWED_HOSTS"],
    ["a public address not listed", "https://93.184.216.34/x", "", "host not in L9_WEBHOOK_ALLOWED_HOSTS"],
    [
      "a public name on another port than listed",
      "https://hooks.example.test:8443/x",
      "hooks.example.test:443",
      "host not in L9_WEBHOOK_ALLOWED_HOSTS",
    ],
    [
      "* does not open loopback",
      "http://127.0.0.1:9000/",
      "*",
      "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS",
    ],
    [
      "* does not open a name inside",
      "https://inside.example.test/hook",
      "*",
      "private address not in L9_WEBHOOK_ALLOWED_HOSTS",
    ],
  ])("%s: %s is refused", async (_name, url, allowed, rule) => {
    expect(await checkWebhookUrl(url, policy(allowed), resolve)).toBe(rule);
  });

  test.each([
    ["a listed public name", "https://hooks.example.test/services/T0/B0/X", "hooks.example.test"],
    ["a listed public address", "https://93.184.216.34/x", "93.184.216.34:443"],
    ["any public host under *", "https://hooks.example.test/services/T0/B0/X", "*"],
    ["a public address under *", "https://93.184.216.34/x", "*"],
    [
      "a listed name that does not resolve here (delivery checks again)",
      "https://nowhere.example.test/",
      "nowhere.example.test",
    ],
    ["a listed host:port", "http://127.0.0.1:9000/x", "127.0.0.1:9000"],
    ["a listed host, any port", "http://127.0.0.1:9001/x", "127.0.0.1"],
    ["listed in another spelling", "http://2130706433:9000/x", "127.0.0.1:9000"],
    ["a listed decimal entry", "http://127.0.0.1:9000/x", "2130706433:9000"],
    ["a listed IPv6 entry", "http://[::1]:9000/", "[::1]:9000"],
    ["an IPv4-mapped target of a listed IPv4", "http://[::ffff:127.0.0.1]:9000/", "127.0.0.1:9000"],
    ["a listed name inside", "https://inside.example.test/hook", "inside.example.test"],
    ["a listed name's address", "http://localhost:9000/", "127.0.0.1:9000"],
    ["the default port of the scheme", "http://127.0.0.1/", "127.0.0.1:80"],
  ])("%s: %s is allowed", async (_name, url, allowed) => {
    expect(await checkWebhookUrl(url, policy(allowed), resolve)).toBeNull();
  });

  const DOCKER = "the Docker daemon's address (DOCKER_HOST)";
  test.each([
    ["its own address", "http://127.0.0.1:2375/containers/abc/stop", "127.0.0.1:2375"],
    ["its address in decimal", "http://2130706433:2375/containers/abc/stop", "2130706433:2375"],
    ["another loopback address", "http://127.0.0.2:2375/v1.41/containers/abc/kill", "127.0.0.2"],
    ["IPv6 loopback", "http://[::1]:2375/containers/abc/stop", "[::1]:2375"],
    ["IPv4-mapped", "http://[::ffff:127.0.0.1]:2375/containers/abc/stop", "[::ffff:127.0.0.1]"],
    ["unspecified", "http://0.0.0.0:2375/containers/abc/stop", "0.0.0.0"],
    ["a name for it", "http://localhost:2375/containers/abc/stop", "localhost"],
  ])("Docker on tcp://127.0.0.1:2375 is never a target, even listed: %s", async (_name, url, allowed) => {
    expect(await checkWebhookUrl(url, policy(allowed, "tcp://127.0.0.1:2375"), resolve)).toBe(DOCKER);
  });

  test("Docker under a name: the name, and every address it resolves to", async () => {
    const p = policy("docker.example.test,127.0.0.1", "tcp://docker.example.test:2376");
    expect(await checkWebhookUrl("https://docker.example.test:2376/containers/x/stop", p, resolve)).toBe(
      DOCKER,
    );
    expect(await checkWebhookUrl("http://127.0.0.1:2376/containers/x/stop", p, resolve)).toBe(DOCKER);
    expect(await checkWebhookUrl("http://127.0.0.1:2377/hook", p, resolve)).toBeNull();
  });

  test("Docker on all interfaces: this machine's own addresses at its port", async () => {
    const mine = Object.values(os.networkInterfaces())
      .flat()
      .map((a) => a?.address.replace(/%.*$/, ""))
      .filter((a): a is string => !!a);
    const p = policy(mine.map((a) => (a.includes(":") ? `[${a}]` : a)).join(","), "tcp://0.0.0.0:2375");
    for (const a of mine) {
      const host = a.includes(":") ? `[${a}]` : a;
      expect(await checkWebhookUrl(`http://${host}:2375/containers/x/stop`, p, resolve)).toBe(DOCKER);
    }
  });

  test("a unix socket DOCKER_HOST leaves ports alone", async () => {
    expect(await checkWebhookUrl("http://127.0.0.1:2375/hook", policy("127.0.0.1:2375"), resolve)).toBeNull();
  });
});

describe("L9_WEBHOOK_ALLOWED_HOSTS", () => {
  test("entries are normalised as the URL parser writes hosts", () => {
    expect(
      parseEnv({
        L9_WEBHOOK_ALLOWED_HOSTS:
          "Hooks.Example.TEST, 2130706433:8080,[::1]:9000,[::ffff:127.0.0.1],alerts.corp.",
      }).notify.allowedHosts,
    ).toEqual([
      { host: "hooks.example.test", port: null },
      { host: "127.0.0.1", port: 8080 },
      { host: "::1", port: 9000 },
      { host: "::ffff:7f00:1", port: null },
      { host: "alerts.corp", port: null },
    ]);
  });

  test.each(["::1", "http://h/", "h:0", "h:70000", "user@h", "h/x", "h:80:90"])("%s is refused", (entry) => {
    expect(() => parseEnv({ L9_WEBHOOK_ALLOWED_HOSTS: entry })).toThrow(
      /L9_WEBHOOK_ALLOWED_HOSTS: ".*" is not a host/,
    );
  });
});
