import { describe, expect, test } from "vitest";
import { crossSiteReason, isEditor, isJsonContentType, isTrustedPeer, type Person } from "./access";

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
