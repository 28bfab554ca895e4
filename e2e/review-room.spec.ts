// Issue 27 (1, 3, 4, 8, 13): the decision on a shared screen. One app start: a fleet that is
// consistent, then diverges; the verdict, a review read across a room, the decision flow with its
// confirmation and undo window, the exports, the rollback banner on every page.
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { artifact, expect, test } from "./support/fixtures";

test.use({ appEnv: { L9_REVIEW_UNDO_SECONDS: "8" } });

const noSerious = async (page: Page, what: string) => {
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`),
    `axe on ${what}`,
  ).toEqual([]);
};
const px = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

test("a review read across a room, decided with a confirmation and an undo window, exported, and the rollback signal on every page", async ({
  app,
  fleet,
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const t0 = Date.now();
  const lap = (what: string) => console.log(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const projects = Array.from({ length: 12 }, (_, i) => `room-${String.fromCharCode(97 + i)}`);
  for (const [i, p] of projects.entries()) await fleet.run({ project: p, port: 48110 + i });
  const ports = Object.fromEntries(projects.map((p, i) => [p, 48110 + i]));
  fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: ports }));
  const phase0 = async () =>
    (await (await request.get(`${app.url}/api/v1/phases`)).json()).phases[0].criteria as {
      id: string;
      status: string;
    }[];
  // Consistent: the divergence rate is met once 100 checks are in.
  await expect(async () => {
    expect((await phase0()).find((c) => c.id === "divergence_rate")!.status).toBe("met");
  }).toPass({ timeout: 30_000 });
  const consistentAt = new Date().toISOString();
  lap("consistent, 100 checks");
  // Then six ghosts in the registry: the rate climbs over 5%.
  fs.writeFileSync(
    app.registryPath,
    JSON.stringify({
      container_ports: { ...ports, ...Object.fromEntries(projects.map((p, i) => [`ghost-${p}`, 48200 + i])) },
    }),
  );
  await expect(async () => {
    expect((await phase0()).find((c) => c.id === "divergence_rate")!.status).toBe("not_met");
  }).toPass({ timeout: 30_000 });

  lap("diverged");
  // 4. The verdict names every failing criterion over the time really covered, not "over 7d".
  await page.goto(app.url);
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toContainText("Phase 0: not ready");
  await expect(verdict).toContainText(/divergence rate below 5%: [\d.]+% over \d+ (s|min) of data/);
  await expect(verdict).toContainText(
    /has been collecting over the window: [\d.]+% over \d+ (s|min) of data/,
  );
  await expect(verdict).not.toContainText("over 7d");

  // A review of Phase 0, started by the local user.
  expect((await page.request.post(`${app.url}/api/v1/session`, { data: { name: "ana" } })).status()).toBe(
    200,
  );
  const review = await (await page.request.post(`${app.url}/api/v1/reviews`, { data: { phase: 0 } })).json();
  const reviewUrl = `${app.url}/reviews/${review.id}`;

  // 1. Meeting mode at 1920x1080: no 1600 px cap, status blocks in words and icons, a summary.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(reviewUrl);
  await page.getByRole("button", { name: "Meeting mode" }).click();
  await expect(page).toHaveURL(/meeting=1/);
  const card = page.locator(".scorecard").first();
  await expect(card.getByTestId("criteria-summary")).toHaveText("2 of 3 criteria not met");
  const rate = card.locator('[data-criterion="divergence_rate"]');
  await expect(rate.getByTestId("criterion-status")).toHaveText("✕ not met");
  await expect(
    card.locator('[data-criterion="no_docker_writes"]').getByTestId("criterion-status"),
  ).toHaveText("✓ met");
  const sizes = {
    status: await px(page, '.scorecard [data-criterion="divergence_rate"] .status-block'),
    summary: await px(page, ".scorecard .criteria-summary"),
    criterion: await px(page, '.scorecard [data-criterion="divergence_rate"] th'),
    title: await px(page, ".review h1"),
    ready: await px(page, ".scorecard .badge"),
  };
  console.log(`meeting mode at 1920x1080, font sizes in px: ${JSON.stringify(sizes)}`);
  expect(sizes.status).toBeGreaterThanOrEqual(32);
  expect(sizes.summary).toBeGreaterThanOrEqual(32);
  expect(sizes.criterion).toBeGreaterThanOrEqual(24);
  expect(sizes.ready).toBeGreaterThanOrEqual(24);
  const mainWidth = await page.locator("main").evaluate((el) => el.getBoundingClientRect().width);
  expect(mainWidth).toBeGreaterThan(1800);
  // The verdicts are above the fold: the first table's rows end inside the screen.
  const tableBottom = await card.locator("table").evaluate((el) => el.getBoundingClientRect().bottom);
  expect(tableBottom).toBeLessThan(1080);
  fs.mkdirSync("e2e/artifacts", { recursive: true });
  await page.screenshot({ path: artifact("review-meeting-1920x1080") });
  await noSerious(page, "the review in meeting mode");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: artifact("review-meeting-1920x1080-dark") });
  await noSerious(page, "the review in meeting mode, dark");
  await page.emulateMedia({ colorScheme: "light" });
  // The phases page's meeting mode: the same blocks, as large.
  await page.goto(`${app.url}/phases?meeting=1`);
  await expect(page.getByTestId("phase-0").getByTestId("criteria-summary")).toHaveText(
    "2 of 3 criteria not met",
  );
  expect(await px(page, '[data-testid="phase-0"] .status-block')).toBeGreaterThanOrEqual(32);
  expect(await page.locator("main").evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(1800);

  lap("meeting mode");
  // 8. The decision flow, at 1440x900: sign off, choose advance on a phase that is not ready.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(reviewUrl);
  await page.getByLabel("Attendees").fill("ana");
  await page.getByRole("button", { name: "Sign off as ana" }).click();
  // A local identity is shown once, not "ana <ana>".
  await expect(page.getByTestId("sign-offs")).toContainText("ana");
  await expect(page.getByTestId("sign-offs")).not.toContainText("<ana>");
  await page.getByLabel("Attendees").fill("ana");
  await page.getByLabel("Decision").selectOption("advance");
  // The override checkbox sits beside its words, on one line.
  const confirmBox = page.getByLabel("Advance although not ready");
  const boxRect = (await confirmBox.boundingBox())!;
  const labelRect = (await page.locator("label.check.error").boundingBox())!;
  expect(Math.abs(boxRect.y + boxRect.height / 2 - (labelRect.y + labelRect.height / 2))).toBeLessThan(12);
  expect(boxRect.x - labelRect.x).toBeLessThan(8);
  // Record asks first; the server's "rationale needed" lands beside the field.
  await page.getByRole("button", { name: "Record decision" }).click();
  await expect(page.locator(".confirm-decision")).toContainText(
    'Record "advance" for Phase 0, an override: the phase is not ready? You can undo it for 8 s',
  );
  expect((await (await request.get(`${app.url}/api/v1/reviews/${review.id}`)).json()).decision).toBeNull();
  await page.getByRole("button", { name: "Confirm the decision" }).click();
  const rationale = page.getByLabel("Rationale");
  await expect(rationale).toHaveAttribute("aria-invalid", "true");
  const errId = await rationale.getAttribute("aria-describedby");
  await expect(page.locator(`#${errId}`)).toContainText("needs a written rationale");
  const fieldBox = (await rationale.boundingBox())!;
  const errBox = (await page.locator(`#${errId}`).boundingBox())!;
  expect(errBox.y - (fieldBox.y + fieldBox.height)).toBeLessThan(24);
  await noSerious(page, "the review form with a field error");
  await rationale.fill("the ghosts are registry leftovers from a script; Docker agrees everywhere else");
  await confirmBox.check();
  await page.getByRole("button", { name: "Record decision" }).click();
  await page.getByRole("button", { name: "Confirm the decision" }).click();
  // Pending: shown as such, with an override flag, and undone before it froze.
  const pending = page.getByTestId("decision-pending");
  await expect(pending).toContainText("Decision recorded: advance");
  await page.getByRole("button", { name: "Undo the decision" }).click();
  await expect(page.getByRole("button", { name: "Record decision" })).toBeVisible();
  const undone = await (await request.get(`${app.url}/api/v1/reviews/${review.id}`)).json();
  expect(undone).toMatchObject({ decision: null, decision_state: "open" });
  // The phase change it recorded went with it.
  expect((await (await request.get(`${app.url}/api/v1/phases`)).json()).current_phase).toBe(0);
  // Decided again, without recording the phase; then the server freezes it.
  await page.getByLabel("Decision").selectOption("advance");
  await page.getByLabel("Advance although not ready").check();
  await page.getByLabel("Record the phase change").uncheck();
  await page.getByRole("button", { name: "Record decision" }).click();
  await page.getByRole("button", { name: "Confirm the decision" }).click();
  await expect(pending).toContainText("Decision recorded: advance");
  await expect(page.getByTestId("override-flag")).toHaveText("override: Phase 0 was not ready");
  await expect(page.getByTestId("decision")).toContainText("override: Phase 0 was not ready");
  await noSerious(page, "a recorded decision");
  await expect(page.getByTestId("frozen")).toBeVisible({ timeout: 15_000 });
  const late = await page.request.post(`${app.url}/api/v1/reviews/${review.id}/undo`, { data: {} });
  expect(late.status()).toBe(409);
  expect((await late.json()).error.message).toMatch(/can no longer be undone/);

  lap("decided and frozen");
  // 13. The PDF: no disclosure toggles, one host in header and footer, the identity once, the override.
  const pdf = await request.get(`${app.url}/api/v1/reviews/${review.id}/export?format=pdf`, {
    timeout: 60_000,
  });
  expect(pdf.status()).toBe(200);
  const file = path.join(app.dir, "review.pdf");
  fs.writeFileSync(file, await pdf.body());
  fs.copyFileSync(file, "e2e/artifacts/review-override.pdf");
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  expect(text).not.toMatch(/[▶►▸]/);
  expect(text).not.toMatch(/\bdetails\b/);
  expect(text).toContain(`${app.url}/reviews/${review.id}`);
  expect(text).toMatch(new RegExp(`\\(UTC\\) · ${app.url.replace(/[.:/]/g, "\\$&")}`));
  expect(text).not.toContain("localhost");
  expect(text).toContain("override: Phase 0 was not ready");
  expect(text).not.toContain("<ana>");
  const md = await (await request.get(`${app.url}/api/v1/reviews/${review.id}/export?format=md`)).text();
  expect(md).toContain("override: Phase 0 was not ready");
  // A missing review is a page with a way back.
  await page.goto(`${app.url}/reviews/nope404`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("No such review");
  await noSerious(page, "a missing review");
  await page.getByRole("link", { name: "Back to phase readiness and the list of reviews" }).click();
  await expect(page).toHaveURL(/\/phases$/);

  lap("exports");
  // 3. The advance recorded at the consistent moment: the rollback signal on every page, in words.
  const set = await page.request.post(`${app.url}/api/v1/phases/current`, {
    data: { phase: 1, started_at: consistentAt, note: "advanced while consistent" },
  });
  expect(set.status()).toBe(201);
  for (const where of ["/", "/sources"]) {
    await page.goto(`${app.url}${where}`);
    const banner = page.getByTestId("rollback");
    await expect(banner).toContainText("since the advance to Phase 1");
    await expect(banner).toContainText("Divergence rate below 5% (regressed since the advance)");
    await expect(banner).toContainText(
      "The dashboard has been collecting over the window (already failing when advanced)",
    );
    await expect(banner).not.toContainText("divergence_rate");
  }
  await noSerious(page, "the rollback banner");
  await page.screenshot({ path: artifact("rollback-banner") });
  lap("rollback banner");
  // On a phone the banner and a meeting-mode review stay inside the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${reviewUrl}?meeting=1`);
  await expect(page.getByTestId("rollback")).toBeVisible();
  await expect(page.getByTestId("criteria-summary").first()).toHaveText("2 of 3 criteria not met");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
