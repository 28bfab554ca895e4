import { describe, expect, test } from "vitest";
import { isStaleCacheRead, staleCacheCriterion, STALE_CACHE_MS } from "./reads";

describe("stale_cache_read (CONTRACT 7g)", () => {
  test.each([
    [{ served_by: "cache", cache_age_ms: 12_000 }, true],
    [{ served_by: "cache", cache_age_ms: STALE_CACHE_MS + 0.1 }, true],
    [{ served_by: "cache", cache_age_ms: STALE_CACHE_MS }, false],
    [{ served_by: "cache", cache_age_ms: 400 }, false],
    [{ served_by: "cache", cache_age_ms: null }, false],
    [{ served_by: "docker", cache_age_ms: 12_000 }, false],
    [{ served_by: "fallback" }, false],
  ])("%o is stale: %s", (e, stale) => {
    expect(isStaleCacheRead(e)).toBe(stale);
  });
});

describe("Phase 2 criterion no_stale_cache_reads", () => {
  test.each([
    ["no reads at all", { reads: 0 }, "insufficient_data", null],
    ["no reads at all, counts given", { reads: 0, cache: 0, staleCache: 0 }, "insufficient_data", null],
    ["reads, no cache read", { reads: 40 }, "met", 0],
    ["only fresh cache reads", { reads: 0, cache: 7, staleCache: 0 }, "met", 0],
    ["one stale cache read", { reads: 500, cache: 20, staleCache: 1 }, "not_met", 1],
  ] as const)("%s: %s", (_name, r, status, actual) => {
    const c = staleCacheCriterion(r);
    expect(c.id).toBe("no_stale_cache_reads");
    expect(c.status).toBe(status);
    expect(c.actual).toBe(actual);
  });
});
