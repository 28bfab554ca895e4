import { describe, expect, test } from "vitest";
import {
  crossSiteReason,
  hostRefusal,
  isEditor,
  isJsonContentType,
  isTrustedPeer,
  sameOriginBack,
  type Person,
} from "./access";

const OWN = ["http://127.0.0.1:3000"];

describe("same-origin writes", () => {
  test.each([
    ["a machine (no browser headers)", null, null, null],
    ["same-origin fetch", "http://127.0.0.1:3000", "same-origin", null],
    ["same-origin without Sec-Fetch-Site (older browser)", "http://127.0.0.1:3000", null, null],
    ["another site", "http://evil.example", "cross-site", /cross-site request/],
    ["same site, other port", "http://127.0.0.1:4000", "same-site", /same-site request/],
    ["another origin, no Sec-Fetch-Site", "http://evil.example", null, /from http:\/\/evil\.example/],
    ["an opaque origin (sandboxed frame, data: URL)", "null", null, /from null/],
    ["user-typed navigation is no write either", null, "none", /none request/],
  ])("%s", (_name, origin, secFetchSite, reason) => {
    const r = crossSiteReason({ origin, secFetchSite }, OWN);
    if (reason === null) expect(r).toBeNull();
    else expect(r).toMatch(reason);
  });

  test.each([
    ["application/json", true],
    ["application/json; charset=utf-8", true],
    ["Application/JSON", true],
    ["text/plain", false],
    ["application/x-www-form-urlencoded", false],
    ["multipart/form-data; boundary=x", false],
    ["application/jsonp", false],
    [null, false],
  ])("content type %s -> %s", (ct, ok) => {
    expect(isJsonContentType(ct)).toBe(ok);
  });
});

describe("editors and trusted proxies", () => {
  const ana: Person = { id: "ana@x.test", name: "Ana", email: "ana@x.test", groups: ["sre"], via: "oidc" };
  test.each([
    [[], true],
    [["ana@x.test"], true],
    [["ANA@X.TEST".toLowerCase()], true],
    [["sre"], true],
    [["ben@x.test", "ops"], false],
  ])("editors %j -> %s", (editors, ok) => {
    expect(isEditor(ana, editors)).toBe(ok);
  });

  test.each([
    ["127.0.0.2", ["127.0.0.2"], true],
    ["::ffff:127.0.0.2", ["127.0.0.2"], true],
    ["127.0.0.1", ["127.0.0.2"], false],
    ["", ["127.0.0.2"], false],
  ])("peer %s trusted by %j -> %s", (peer, trusted, ok) => {
    expect(isTrustedPeer(peer, trusted)).toBe(ok);
  });
});

describe("the Host header (DNS rebinding, bad values)", () => {
  const loopbackOnly = { boundTo: "127.0.0.1", publicUrl: null };
  const behindProxy = { boundTo: "127.0.0.1", publicUrl: "https://l9.example.org/" };
  const everywhere = { boundTo: "0.0.0.0", publicUrl: null };
  test.each([
    ["127.0.0.1:3000", loopbackOnly, null],
    ["127.0.0.1", loopbackOnly, null],
    ["127.0.0.2:9999 (any loopback address, any port)", loopbackOnly, null],
    ["localhost:3000", loopbackOnly, null],
    ["LOCALHOST", loopbackOnly, null],
    ["[::1]:3000", loopbackOnly, null],
    ["127.1 (the URL parser reads 127.0.0.1)", loopbackOnly, null],
    ["evil.example", loopbackOnly, 403],
    ["evil.example:3000", loopbackOnly, 403],
    ["localhost.evil.example", loopbackOnly, 403],
    ["127.0.0.1.nip.io", loopbackOnly, 403],
    ["l9.example.org", loopbackOnly, 403],
    ["l9.example.org", behindProxy, null],
    ["l9.example.org:443", behindProxy, null],
    ["localhost:3000", behindProxy, null],
    ["evil.example", behindProxy, 403],
    ["evil.example", everywhere, null],
    ["a b", loopbackOnly, 400],
    ["a b", everywhere, 400],
    ["", everywhere, 400],
    ["127.0.0.1@evil.example", loopbackOnly, 400],
    ["evil.example/x", everywhere, 400],
    ["127.0.0.1:3000#x", loopbackOnly, 400],
    ["127.0.0.1:99999", loopbackOnly, 400],
  ])("%s", (raw, instance, status) => {
    const host = raw.replace(/ \(.*\)$/, "");
    const r = hostRefusal(host, instance);
    if (status === null) expect(r).toBeNull();
    else expect(r?.status).toBe(status);
  });

  test("the refusal says how to address the instance", () => {
    expect(hostRefusal("evil.example", loopbackOnly)?.message).toMatch(
      /loopback-only: address it as 127\.0\.0\.1 or localhost, not evil\.example/,
    );
    expect(hostRefusal("evil.example", behindProxy)?.message).toMatch(/\(or l9\.example\.org\)/);
  });
});

describe("back= after sign-in: same origin only, as the URL parser reads it", () => {
  const OWN_ORIGIN = "http://127.0.0.1:3000";
  test.each([
    ["/phases", "/phases"],
    ["/projects/alpha?tz=utc#top", "/projects/alpha?tz=utc#top"],
    ["http://127.0.0.1:3000/sources", "/sources"],
    ["phases (relative)", "/phases"],
    [null, "/"],
    ["", "/"],
    ["/\\evil.example/x", "/"],
    ["/\t/evil.example/x", "/"],
    ["/\n/evil.example/x", "/"],
    ["//evil.example/x", "/"],
    ["///evil.example/x", "/"],
    ["\\\\evil.example/x", "/"],
    ["/.//evil.example/x", "/evil.example/x"],
    ["/..//evil.example/x", "/evil.example/x"],
    ["http://evil.example/x", "/"],
    ["https://127.0.0.1:3000/x (another scheme)", "/"],
    ["http://127.0.0.1:4000/x (another port)", "/"],
    ["http://user@evil.example/x", "/"],
    ["javascript:alert(1)", "/"],
    ["data:text/html,<script>alert(1)</script>", "/"],
    ["/%5Cevil.example/x (stays an escaped path)", "/%5Cevil.example/x"],
  ])("%j -> %s", (raw, expected) => {
    const given = raw === null ? null : raw.replace(/ \(.*\)$/, "");
    const back = sameOriginBack(given, OWN_ORIGIN);
    expect(back).toBe(expected);
    // Whatever comes out, a browser following it lands on our origin.
    expect(new URL(back, OWN_ORIGIN).origin).toBe(OWN_ORIGIN);
  });
});
