import { describe, expect, test } from "vitest";
import { legacyReadsCriterion, type LegacyReadInputs } from "./legacy-reads";

const NOW = "2026-03-01T00:00:00.000Z";
const daysAgo = (d: number) => new Date(Date.parse(NOW) - d * 86400_000).toISOString();
const site = (s: string, count: number, lastDaysAgo: number) => ({
  dict: "active_indexers",
  site: s,
  count,
  last_read: daysAgo(lastDaysAgo),
  instance_id: "mcp-a",
});

describe("no legacy reads for 28 days", () => {
  test.each<[string, LegacyReadInputs | undefined, string, number | null, number]>([
    ["nobody counts", undefined, "insufficient_data", null, 0],
    ["counting for 10 days, no reads", { countingSince: daysAgo(10), sites: [] }, "insufficient_data", 0, 0],
    ["counting for 29 days, no reads", { countingSince: daysAgo(29), sites: [] }, "met", 0, 0],
    [
      "a read 3 days ago fails it however long counting ran",
      { countingSince: daysAgo(40), sites: [site("/srv/indexer_orchestrator.py:238", 12, 3)] },
      "not_met",
      12,
      1,
    ],
    [
      "a read before the last 28 days no longer counts",
      { countingSince: daysAgo(60), sites: [site("/srv/indexer_orchestrator.py:238", 12, 30)] },
      "met",
      0,
      0,
    ],
    [
      "a read in a short count is still a failure, named",
      {
        countingSince: daysAgo(2),
        sites: [site("/srv/a.py:1", 2, 1), site("/srv/b.py:9", 5, 0.5), site("/srv/c.py:3", 1, 40)],
      },
      "not_met",
      7,
      2,
    ],
  ])("%s", (_name, inp, status, actual, sites) => {
    const c = legacyReadsCriterion(inp, NOW);
    expect([c.status, c.actual]).toEqual([status, actual]);
    const details = (c.evidence.details ?? []) as { site: string }[];
    expect(details).toHaveLength(sites);
  });

  test("the call sites still reading are listed newest first with count and last read", () => {
    const c = legacyReadsCriterion(
      { countingSince: daysAgo(5), sites: [site("/srv/a.py:1", 2, 1), site("/srv/b.py:9", 5, 0.5)] },
      NOW,
    );
    expect(c.evidence.details).toEqual([
      {
        dict: "active_indexers",
        site: "/srv/b.py:9",
        count: 5,
        last_read_at: daysAgo(0.5),
        instance: "mcp-a",
      },
      { dict: "active_indexers", site: "/srv/a.py:1", count: 2, last_read_at: daysAgo(1), instance: "mcp-a" },
    ]);
  });
});
