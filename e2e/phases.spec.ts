// Phase readiness and a review held in Chromium: frozen values, exports, the PDF.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { artifact, expect, test } from "./support/fixtures";
import { formatValue } from "../lib/core/format";

test("hold a review, export it, and find the same values after more data arrived", async ({
  app,
  fleet,
  page,
  request,
}) => {
  test.setTimeout(180_000);
  await fleet.run({ project: "alpha", port: 48101, phase1: true });
  fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: { alpha: 48101, ghost: 48102 } }));
  await expect(async () => {
    const s = await (await request.get(`${app.url}/api/v1/state`)).json();
    expect(s.summary.diverged).toBe(1);
  }).toPass({ timeout: 10_000 });

  const api = await request.get(`${app.url}/api/v1/phases?window=1h`);
  expect(api.status()).toBe(200);
  const report = await api.json();
  expect(report.current_phase).toBe(0);
  expect(report.phases.map((p: { phase: number }) => p.phase)).toEqual([0, 1, 2, 3, 4]);
  expect(report.phases[0].criteria.map((c: { id: string }) => c.id)).toEqual([
    "divergence_rate",
    "no_docker_writes",
    "collecting",
  ]);
  expect((await request.get(`${app.url}/api/v1/phases?window=soon`)).status()).toBe(400);

  await page.goto(`${app.url}/phases?window=1h`);
  await expect(page.getByTestId("phase-0")).toContainText("Divergence rate below 5%");
  await expect(page.getByTestId("sign-in-needed")).toContainText("Sign in to start a review");
  // Local mode: the single local user gives a name once, in the top bar.
  const bar = page.getByRole("banner");
  await bar.getByRole("button", { name: "Sign in", exact: true }).click();
  await bar.getByLabel("Your name").fill("ana");
  await bar.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in")).toContainText("ana");
  await page.screenshot({ path: artifact("phases"), fullPage: true });
  await page.getByRole("button", { name: /Start a review of Phase 0/ }).click();
  await expect(page).toHaveURL(/\/reviews\/[0-9a-f]+$/);
  const reviewUrl = page.url();
  const id = reviewUrl.split("/").pop()!;
  const frozen = await (await request.get(`${app.url}/api/v1/reviews/${id}`)).json();
  const actual = frozen.evaluation.phase.criteria.find((c: { id: string }) => c.id === "divergence_rate");

  await page.getByLabel("Attendees").fill("ana, ben");
  await page.getByLabel("Notes").fill("Hold until the registry entry for ghost is cleaned up.");
  await page.getByRole("button", { name: "Sign off as ana" }).click();
  await expect(page.getByTestId("sign-offs")).toContainText("ana");
  await page.getByLabel("Decision").selectOption("hold");
  await page.getByRole("button", { name: "Record decision" }).click();
  await page.getByRole("button", { name: "Confirm the decision" }).click();
  await expect(page.getByTestId("decision")).toContainText("hold");
  await page.screenshot({ path: artifact("review"), fullPage: true });

  // More data arrives and changes the live figures...
  fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: { alpha: 48101 } }));
  await expect(async () => {
    const s = await (await request.get(`${app.url}/api/v1/state`)).json();
    expect(s.summary.diverged).toBe(0);
  }).toPass({ timeout: 10_000 });
  // ...but the permalink shows the frozen values, and a decided review refuses edits.
  await page.goto(reviewUrl);
  const again = await (await request.get(`${app.url}/api/v1/reviews/${id}`)).json();
  expect(again.evaluation).toEqual(frozen.evaluation);
  // Shown as people read it (one formatter for the phases page, reviews and exports).
  await expect(page.locator('[data-criterion="divergence_rate"]').first()).toContainText(
    formatValue("divergence_rate", actual.actual),
  );
  expect(
    (
      await page.request.patch(`${app.url}/api/v1/reviews/${id}`, { data: { notes: "rewrite history" } })
    ).status(),
  ).toBe(409);

  const md = await request.get(`${app.url}/api/v1/reviews/${id}/export?format=md`);
  expect(md.headers()["content-type"]).toContain("text/markdown");
  const mdText = await md.text();
  expect(mdText).toContain("# Phase 0 review — hold");
  expect(mdText).toContain("Divergence rate below 5%");
  expect(mdText).toContain("ana, ben");
  const json = await (await request.get(`${app.url}/api/v1/reviews/${id}/export?format=json`)).json();
  expect(json.evaluation).toEqual(frozen.evaluation);

  const pdf = await request.get(`${app.url}/api/v1/reviews/${id}/export?format=pdf`, { timeout: 60_000 });
  expect(pdf.status()).toBe(200);
  const body = await pdf.body();
  expect(body.subarray(0, 4).toString()).toBe("%PDF");
  const file = path.join(app.dir, "review.pdf");
  fs.writeFileSync(file, body);
  fs.mkdirSync("e2e/artifacts", { recursive: true });
  fs.copyFileSync(file, artifact("review").replace(/\.png$/, ".pdf"));
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  expect(text).toContain("Divergence rate below 5%");
  expect(text).toContain("Hold until the registry entry");
  // Header and footer: what, where, when (UTC), and page numbers.
  expect(text).toContain(`L9 State Health · Phase 0 review ${id}`);
  expect(text).toMatch(/Generated \d{4}-\d{2}-\d{2}T[\d:.]+Z \(UTC\)/);
  expect(text).toMatch(/page 1 of \d/);
  expect(mdText).toMatch(/generated \d{4}-.*Z \(UTC\).*\/reviews\//);
});

test("setting the current phase is recorded with who and when", async ({ app, request }) => {
  expect((await request.post(`${app.url}/api/v1/session`, { data: { name: "ana" } })).status()).toBe(200);
  const res = await request.post(`${app.url}/api/v1/phases/current`, {
    data: { phase: 1, note: "labels shipped" },
  });
  expect(res.status()).toBe(201);
  const report = await res.json();
  expect(report.current_phase).toBe(1);
  expect(report.history[0]).toMatchObject({ phase: 1, set_by: "ana", note: "labels shipped" });
  const bad = await request.post(`${app.url}/api/v1/phases/current`, { data: { phase: 7 } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.field).toBe("phase");
});
