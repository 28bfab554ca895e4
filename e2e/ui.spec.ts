import { artifact, expect, test } from "./support/fixtures";

test("the overview loads in Chromium and shows Docker reachable", async ({ app, page }) => {
  await page.goto(app.url);
  await expect(page.getByRole("heading", { name: "Fleet state health" })).toBeVisible();
  await expect(page.getByTestId("docker-status")).toContainText("Docker reachable");
  // The verdict at a glance: a fresh instance has not collected over the window yet.
  await expect(page.getByTestId("verdict")).toContainText(
    "Phase 0: not ready — the dashboard has been collecting over the window",
  );
  await page.screenshot({ path: artifact("overview-docker-reachable"), fullPage: true });
});

test.describe("with Docker unreachable", () => {
  test.use({ appEnv: { DOCKER_HOST: "unix:///tmp/l9-nothing-listens-here.sock" } });
  test("the page shows a clear unreachable message", async ({ app, page }) => {
    await page.goto(app.url);
    const banner = page.getByTestId("docker-status");
    await expect(banner).toContainText("Docker unreachable");
    await expect(banner).toContainText("unix:///tmp/l9-nothing-listens-here.sock");
    await expect(page.getByRole("alert").first()).toBeVisible();
    await page.screenshot({ path: artifact("overview-docker-unreachable"), fullPage: true });
  });
});

test("a project never seen is a stable, server-rendered 404 with no retries or console errors", async ({
  app,
  page,
}) => {
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  const apiCalls: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/v1/projects/")) apiCalls.push(r.url());
  });
  const res = await page.goto(`${app.url}/projects/never-seen`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "No such project" })).toBeVisible();
  // Stays put across what would be several refresh intervals (the app polls every 1 s here).
  await page.waitForTimeout(3000);
  await expect(page.getByTestId("project-not-found")).toBeVisible();
  expect(apiCalls).toEqual([]);
  expect(consoleErrors.filter((t) => !/404 \(Not Found\)/.test(t))).toEqual([]);
});

test("search keeps every keystroke at 50 ms a key, writes the URL after, and clears back", async ({
  app,
  page,
}) => {
  const ports: Record<string, number> = {};
  for (const p of ["proj-a", "proj-b", "proj-c", "proj-cc", "indexer-proj-e"])
    ports[p] = 48000 + Object.keys(ports).length;
  const fs = await import("node:fs");
  fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: ports }));
  await page.goto(app.url);
  const rows = page.getByTestId("health-matrix").locator("tr[data-project]");
  await expect(rows).toHaveCount(5);
  const box = page.getByLabel("Search projects");
  await box.pressSequentially("proj-c", { delay: 50 });
  await expect(box).toHaveValue("proj-c");
  await expect(rows).toHaveCount(2);
  await expect(page).toHaveURL(/[?&]q=proj-c(&|$)/);
  await box.fill("");
  await box.pressSequentially("indexer proj-e", { delay: 80 });
  await expect(box).toHaveValue("indexer proj-e");
  await box.fill("nothing-matches");
  await expect(rows).toHaveCount(0);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(rows).toHaveCount(5);
  await expect(box).toHaveValue("");
});
