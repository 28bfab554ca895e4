// The overview and the series carry the gates' targets, the same numbers the phases report's
// criteria carry: the browser draws these, so a target changed in the core moves every screen.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freshDatabaseUrl } from "../support/harness";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-targets-"));

beforeAll(async () => {
  process.env.DATABASE_URL = await freshDatabaseUrl(dir);
});

afterAll(async () => {
  const { closeDb } = await import("../../lib/db");
  await closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("overview and series targets are the phases' divergence (Phase 0) and fallback (Phase 2) targets", async () => {
  const { getOverview, getSeriesFor } = await import("../../lib/services/overview");
  const { evaluateAt } = await import("../../lib/services/evaluate");
  const { getDb } = await import("../../lib/db");
  const { env } = await import("../../lib/env");
  const now = new Date();
  const report = await evaluateAt(getDb(), env(), "1h", now, 0);
  const target = (phase: number, id: string) =>
    report.phases[phase]!.criteria.find((c) => c.id === id)!.target_value;
  const overview = await getOverview(now);
  expect(overview.targets).toEqual({
    divergence_rate: target(0, "divergence_rate"),
    fallback_rate: target(2, "fallback_rate"),
  });
  expect(overview.targets).toEqual({ divergence_rate: 0.05, fallback_rate: 0.05 });
  expect((await getSeriesFor(new URLSearchParams("range=1h"), now)).targets).toEqual(overview.targets);
});
