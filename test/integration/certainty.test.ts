// Issue 24 (sections 1 and 2) over a real SQLite holding a simulated history (lib/sim/backfill):
// the phases report's intervals, `settled`, `settle_eta`, progress and `met_eta`.
import { afterAll, expect, test } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "../../scripts/schema-engine.mjs";
import { closeDb, getDb } from "../../lib/db";
import { parseEnv } from "../../lib/env";
import { backfill } from "../../lib/sim/backfill";
import { evaluateAt } from "../../lib/services/evaluate";
import { setPhase } from "../../lib/store/phases";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-cert-"));
const urls: string[] = [];
afterAll(async () => {
  for (const u of urls) await closeDb(u);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function history(name: string, days: number, now: Date) {
  const url = `file:${path.join(dir, `${name}.db`)}`;
  urls.push(url);
  await applyMigrations(url);
  await backfill(getDb(url), { days, now, seed: 7 });
  return getDb(url);
}

const byId = (r: Awaited<ReturnType<typeof evaluateAt>>, phase: number, id: string) =>
  r.phases[phase]!.criteria.find((c) => c.id === id)!;

test("two days of simulated checks settle Phase 0's divergence rate; two hours of them do not", async () => {
  const now = new Date("2027-01-10T00:00:00Z");
  const cfg = parseEnv({ L9_POLL_INTERVAL_MS: "600000" });
  const many = await evaluateAt(await history("days", 2, now), cfg, "7d", now, 0);
  const few = await evaluateAt(await history("hours", 1 / 12, now), cfg, "7d", now, 0);

  const m = byId(many, 0, "divergence_rate");
  // The simulated fleet drifts: well above 5% over two days, and sure of it.
  expect(m.status).toBe("not_met");
  expect(m.confidence).toMatchObject({ level: 0.95, method: "wilson-ess-markov" });
  expect(m.confidence!.low).toBeLessThanOrEqual(Number(m.actual));
  expect(m.confidence!.high).toBeGreaterThanOrEqual(Number(m.actual));
  expect(m.confidence!.low).toBeGreaterThan(0.05);
  expect(m.settled).toBe(true);
  expect(m.settle_eta).toBeUndefined();

  const f = byId(few, 0, "divergence_rate");
  expect(f.status).toBe("met"); // the verdict rule is unchanged: 4.x% < 5% of enough checks
  expect(f.confidence!.high).toBeGreaterThan(0.05);
  expect(f.settled).toBe(false);
  expect(f.settle_eta).toMatchObject({
    text: expect.stringMatching(/^about \d+ more (days|hours|minutes) at today's check rate$/),
  });
  expect(Date.parse(f.settle_eta!.at)).toBeGreaterThan(now.getTime());

  // Read criteria of Phase 2 carry intervals too (the backfill writes three reads a poll).
  for (const id of ["docker_success_rate", "fallback_rate"]) {
    const c = byId(many, 2, id);
    expect(c.confidence!.low).toBeLessThanOrEqual(Number(c.actual));
    expect(c.confidence!.high).toBeGreaterThanOrEqual(Number(c.actual));
    expect(typeof c.settled).toBe("boolean");
  }

  // Duration: the week's covered time against 90% of 7 days; an hour is far from it.
  const cm = byId(many, 0, "collecting");
  expect(cm.progress).toEqual({ done_s: expect.any(Number), needed_s: Math.round(0.9 * 7 * 86400) });
  expect(cm.progress!.done_s).toBeGreaterThan(47 * 3600);
  expect(cm.met_eta).toBe(
    new Date(now.getTime() + (cm.progress!.needed_s - cm.progress!.done_s) * 1000).toISOString(),
  );
  const cf = byId(few, 0, "collecting");
  expect(cf.status).toBe("not_met");
  expect(cf.progress!.done_s).toBeLessThan(3 * 3600);
  expect(cf.met_eta).toBe(
    new Date(now.getTime() + (cf.progress!.needed_s - cf.progress!.done_s) * 1000).toISOString(),
  );
  expect(few.phases[0]!.timeline).toMatchObject({ started_at: null, ready_eta: cf.met_eta });
});

test("Phase 3's stable run: progress from its start, the date it is met, and a regression that resets it", async () => {
  const now = new Date("2027-01-10T00:00:00Z");
  const cfg = parseEnv({ L9_POLL_INTERVAL_MS: "600000" });
  const db = await history("stable", 2, now);
  // Phase 3 recorded 9 days ago; the simulated fleet diverges now and then in the last 2 days.
  const started = new Date(now.getTime() - 9 * 86400_000);
  await setPhase(db, { phase: 3, startedAt: started, setBy: "ana", note: "" }, started);
  const r = await evaluateAt(db, cfg, null, now, 0);
  const s = byId(r, 4, "phase3_stable_4w");
  expect(s.status).toBe("insufficient_data");
  expect(s.progress!.needed_s).toBe(28 * 86400);
  const regressions = r.phases[4]!.timeline!.regressions;
  expect(regressions.length).toBeGreaterThan(0);
  // The stable run restarts at the end of the latest regression, not at Phase 3's start.
  const lastEnd = Math.max(...regressions.map((x) => (x.ended_at ? Date.parse(x.ended_at) : now.getTime())));
  expect(lastEnd).toBeGreaterThan(started.getTime());
  expect(s.progress!.done_s).toBe(Math.round((now.getTime() - lastEnd) / 1000));
  expect(s.met_eta).toBe(new Date(Math.max(now.getTime(), lastEnd + 28 * 86400_000 + 1000)).toISOString());
  expect(r.phases[4]!.timeline!.started_at).toBeNull();
  expect(r.phases[3]!.timeline!.started_at).toBe(started.toISOString());
});
