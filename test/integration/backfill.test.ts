// The demo's history backfill goes through the collector's own storage: whole, simulated,
// and readable by the same window queries.
import { afterAll, beforeAll, expect, test } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "../../scripts/schema-engine.mjs";
import { closeDb, getDb } from "../../lib/db";
import { backfill } from "../../lib/sim/backfill";
import { getWindowFigures } from "../../lib/store/window-figures";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-bf-"));
const url = `file:${path.join(dir, "demo.db")}`;
beforeAll(() => applyMigrations(url));
afterAll(async () => {
  await closeDb(url);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("two days at 10-minute steps: every poll stored, simulated, with divergence and episodes", async () => {
  const now = new Date("2026-01-10T00:00:00Z");
  const { polls } = await backfill(getDb(url), { days: 2, now, seed: 3 });
  expect(polls).toBe(2 * 144 + 1);
  const db = getDb(url);
  expect(await db.poll.count()).toBe(polls);
  expect(await db.poll.count({ where: { simulated: false } })).toBe(0);
  const w = await getWindowFigures(db, new Date(now.getTime() - 2 * 86400_000), now);
  expect(w.polls).toBe(polls);
  expect(w.checks).toBeGreaterThan(polls * 12);
  expect(w.diverged).toBeGreaterThan(0);
  expect(await db.findingEpisode.count({ where: { simulated: true } })).toBeGreaterThan(0);
  expect(await db.readEvent.count({ where: { servedBy: "fallback" } })).toBeGreaterThan(0);
});
