// Issue 24 in Chromium over one simulated history (lib/sim/backfill, 2 days, seed 14): its last
// hour (few checks, none diverged) leaves Phase 0's divergence rate met but "not settled"; the
// whole history (many checks) settles it. A review freezes the figures, and an advance resting
// on the unsettled criterion needs its confirmation.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "./support/fixtures";
import { startApp } from "./support/app";
import { applyMigrations } from "../scripts/schema-engine.mjs";
import { closeDb, getDb } from "../lib/db";
import { backfill } from "../lib/sim/backfill";

test("few checks: not settled, with an estimate, and a confirmed advance; many checks: settled", async ({
  fleet,
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-e2e-cert-"));
  const databaseUrl = `file:${path.join(dir, "history.db")}`;
  await applyMigrations(databaseUrl);
  await backfill(getDb(databaseUrl), { days: 2, seed: 14 });
  await closeDb(databaseUrl);
  const app = await startApp({
    DOCKER_HOST: `unix://${fleet.socketPath}`,
    L9_LABEL_SELECTOR: fleet.selector,
    DATABASE_URL: databaseUrl,
  });
  try {
    const rate = async (window: string) => {
      const r = await (await request.get(`${app.url}/api/v1/phases?window=${window}`)).json();
      return r.phases[0].criteria.find((c: { id: string }) => c.id === "divergence_rate");
    };
    const few = await rate("1h");
    expect(few).toMatchObject({
      status: "met",
      settled: false,
      confidence: { level: 0.95, method: "wilson-ess-markov" },
    });
    expect(few.confidence.high).toBeGreaterThan(0.05);
    expect(few.settle_eta.text).toMatch(/^about \d+ more (days|hours|minutes) at today's check rate$/);
    const many = await rate("7d");
    expect(many.settled).toBe(true);
    expect(many.settle_eta).toBeUndefined();
    expect(many.confidence.low).toBeGreaterThan(0.05);

    const row = (id: string) =>
      page.getByTestId("phase-0").locator(`[data-criterion="${id}"]`).getByTestId("certainty");
    await page.goto(`${app.url}/phases?window=1h`);
    await expect(row("divergence_rate")).toContainText(/95% interval .*: not settled \(about \d+ more/);
    await page.goto(`${app.url}/phases?window=7d`);
    await expect(row("divergence_rate")).toContainText(/95% interval .*: settled/);
    await expect(row("collecting")).toContainText(
      /of 6\.3 days: met on \d{4}-\d{2}-\d{2} if nothing regresses/,
    );
    await expect(page.getByTestId("timeline-0")).toContainText("Projected ready: not from time alone");

    // A review over the last hour freezes its figures; advancing on them needs confirming.
    expect((await request.post(`${app.url}/api/v1/session`, { data: { name: "ana" } })).status()).toBe(200);
    const created = await request.post(`${app.url}/api/v1/reviews`, { data: { phase: 0, window: "1h" } });
    const review = await created.json();
    const frozen = review.evaluation.phase.criteria.find((c: { id: string }) => c.id === "divergence_rate");
    expect(frozen).toMatchObject({ status: "met", settled: false, confidence: few.confidence });
    const url = `${app.url}/api/v1/reviews/${review.id}`;
    const body = {
      decision: "advance",
      attendees: ["ana"],
      rationale: "an hour of checks, none diverged; we accept the uncertainty",
      confirm_not_ready: true,
    };
    const refused = await request.patch(url, { data: body });
    expect(refused.status()).toBe(400);
    expect((await refused.json()).error).toMatchObject({
      field: "confirm_unsettled",
      message: expect.stringContaining("divergence_rate"),
    });
    // Confirmed, it passes this gate and waits for its sign-off like any advance.
    const confirmed = await request.patch(url, { data: { ...body, confirm_unsettled: true } });
    expect(confirmed.status()).toBe(409);
    await page.goto(`${app.url}/reviews/${review.id}`);
    await expect(page.locator('[data-criterion="divergence_rate"]').getByTestId("certainty")).toContainText(
      "not settled",
    );
    const md = await (await request.get(`${url}/export?format=md`)).text();
    expect(md).toMatch(/\| met \(95% interval [\d.]+%–[\d.]+%: not settled \(about \d+ more/);
    const json = await (await request.get(`${url}/export?format=json`)).json();
    expect(json.evaluation.phase.criteria[0].confidence).toEqual(few.confidence);
  } finally {
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
