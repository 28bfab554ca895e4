// Issue 24, 3: what the next phase would do, in the API, on the phases page and frozen in a
// review, over one app start.
import fs from "node:fs";
import { expect, test } from "./support/fixtures";

test("later phases carry a prediction from the stored polls: API, phases page, a review", async ({
  app,
  fleet,
  page,
}) => {
  test.setTimeout(60_000);
  await fleet.run({ project: "alpha", port: 48101, phase1: true });
  fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: { alpha: 48101, ghost: 48102 } }));
  await expect(async () => {
    const s = await (await page.request.get(`${app.url}/api/v1/state`)).json();
    expect(s.summary.diverged).toBe(1);
  }).toPass({ timeout: 10_000 });

  const report = await (await page.request.get(`${app.url}/api/v1/phases?window=1h`)).json();
  expect(report.phases.map((p: { prediction?: unknown }) => p.prediction !== undefined)).toEqual([
    false,
    false,
    true,
    true,
    false,
  ]);
  const p2 = report.phases[2].prediction;
  expect(p2.from_polls).toBeGreaterThan(0);
  expect(p2.criteria.map((c: { id: string; predicted: boolean }) => [c.id, c.predicted])).toEqual([
    ["docker_success_rate", true],
    ["fallback_rate", true],
  ]);
  // The registry's ghost has no container: a Docker-first read of it would fall back.
  // (A poll that could not reach Docker on this busy machine adds its own docker_unreachable rows.)
  expect(p2.fallback_projects).toEqual(
    expect.arrayContaining([expect.objectContaining({ project: "ghost", reason: "no_container" })]),
  );
  expect(report.phases[3].prediction.criteria.map((c: { id: string }) => c.id)).toEqual([
    "zero_divergence",
    "no_port_conflicts",
    "ports_lost",
    "label_port_agrees",
    "hash_lookup",
  ]);

  await page.goto(`${app.url}/phases?window=1h`);
  const shown = page.getByTestId("prediction-2");
  await expect(shown.getByTestId("predicted-from")).toHaveText(/^predicted from \d+ polls, not measured$/);
  await expect(shown.locator('[data-criterion="fallback_rate"]')).toContainText("predicted");
  await shown.getByTestId("predicted-fallbacks").locator("summary").first().click();
  await expect(shown.getByTestId("predicted-fallbacks")).toContainText(/\d+ projects? would fall back/);
  await expect(shown.getByTestId("predicted-fallbacks")).toContainText("ghost");
  await expect(page.getByTestId("prediction-3")).toContainText("A lookup by the full project hash");
  await expect(page.getByTestId("phase-0").getByTestId("prediction-0")).toHaveCount(0);

  // In Phase 1, a review freezes the next phase's prediction with its evaluation.
  expect((await page.request.post(`${app.url}/api/v1/session`, { data: { name: "ana" } })).status()).toBe(
    200,
  );
  expect((await page.request.post(`${app.url}/api/v1/phases/current`, { data: { phase: 1 } })).status()).toBe(
    201,
  );
  const review = await page.request.post(`${app.url}/api/v1/reviews`, { data: { phase: 1, window: "1h" } });
  expect(review.status()).toBe(201);
  const frozen = await review.json();
  const n = frozen.evaluation.next.prediction.from_polls as number;
  expect(n).toBeGreaterThan(0);
  await page.goto(`${app.url}/reviews/${frozen.id}`);
  await expect(page.getByTestId("prediction-2").getByTestId("predicted-from")).toHaveText(
    `predicted from ${n} polls, not measured`,
  );
});
