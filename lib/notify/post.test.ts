import { describe, expect, test } from "vitest";
import { DOCKER_RULE, listRule } from "./address";
import { errorClass } from "./post";

describe("errorClass: what a delivery error may say", () => {
  test.each([
    "HTTP 401",
    "HTTP 500",
    "redirect not followed (HTTP 307)",
    "no answer within 5000 ms",
    "connection refused",
    "connection reset",
    "name not resolved",
    "host unreachable",
    "TLS error",
    "delivery error",
    `refused: ${DOCKER_RULE}`,
    `refused: ${listRule("loopback")}`,
    `refused: ${listRule("shared (carrier-grade NAT)")}`,
    `refused: ${listRule("unique local (private)")}`,
  ])("%s is shown as it is", (e) => {
    expect(errorClass(e)).toBe(e);
  });

  // Rows written before: raw codes and messages that could carry an address or a password.
  test.each([
    ["ECONNREFUSED", "connection refused"],
    ["ENOTFOUND", "name not resolved"],
    ["connect ECONNREFUSED 10.0.0.7:2375", "delivery error"],
    [
      "Request cannot be constructed from a URL that includes credentials: http://u:secret@127.0.0.1:9/h",
      "delivery error",
    ],
    ["unexpected redirect", "delivery error"],
    ["fetch failed", "delivery error"],
  ])("%s is shown as %s", (stored, shown) => {
    expect(errorClass(stored)).toBe(shown);
  });
});
