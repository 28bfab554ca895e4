// An upgrade loses nothing: a database made by the previous release's migrations, with polls
// and an episode in it, is migrated to this release's schema (host, running totals of covered
// time and latency) with every row kept and the new totals backfilled exactly as new polls
// compute them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, test } from "vitest";
import { applyMigrations } from "../../scripts/schema-engine.mjs";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-upgrade-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("upgrading a database of the previous release", () => {
  test("every poll and episode is kept; covered time and latency totals are backfilled", async () => {
    const file = path.join(dir, "old.db");
    await applyMigrations(`file:${file}`, { upTo: "20261127122036_review_rationale_actions" });
    const db = new Database(file);
    const poll = db.prepare(
      `INSERT INTO "Poll" ("id","polledAt","dockerReachable","dockerLatencyMs","durationMs","intervalMs","checks","diverged","projects","seq","cumChecks","cumDiverged") VALUES (?,?,?,?,1,5000,10,1,5,?,?,1)`,
    );
    poll.run(1, "2026-11-27T00:00:00.000+00:00", 1, 3, 1, 10);
    poll.run(2, "2026-11-27T00:00:05.000+00:00", 1, 4, 2, 20);
    poll.run(3, "2026-11-27T00:00:10.000+00:00", 0, null, 2, 30); // Docker down: no latency
    poll.run(4, "2026-11-27T00:05:00.000+00:00", 1, 5, 3, 40); // after a hole of 290 s
    db.prepare(
      `INSERT INTO "FindingEpisode" ("project","source","kind","openedAt","lastSeenAt","detail") VALUES ('alpha','','port_mismatch','2026-11-27T00:00:00.000+00:00','2026-11-27T00:00:00.000+00:00','{}')`,
    ).run();
    db.close();

    const applied = await applyMigrations(`file:${file}`);
    expect(applied.length).toBeGreaterThan(0);
    const after = new Database(file, { readonly: true });
    const rows = after
      .prepare(`SELECT host, id, cumChecks, cumCoveredMs, cumLatencyMs FROM "Poll" ORDER BY id`)
      .all() as { host: string; id: number; cumChecks: number; cumCoveredMs: number; cumLatencyMs: number }[];
    expect(rows.map((r) => [r.host, r.id, r.cumChecks])).toEqual([
      ["", 1, 10],
      ["", 2, 20],
      ["", 3, 30],
      ["", 4, 40],
    ]);
    // covered: 5 s + 5 s, not the 290 s hole; latency: reachable polls only
    expect(rows.map((r) => Math.round(r.cumCoveredMs))).toEqual([0, 5000, 10000, 10000]);
    expect(rows.map((r) => r.cumLatencyMs)).toEqual([3, 7, 7, 12]);
    expect(after.prepare(`SELECT host, ref, project FROM "FindingEpisode"`).all()).toEqual([
      { host: "", ref: null, project: "alpha" },
    ]);
    after.close();
  });
});
