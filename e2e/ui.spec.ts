import fs from "node:fs";
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

test("a large matrix is in the served HTML's shell, painted with the top bar, not streamed in later", async ({
  app,
  page,
}) => {
  // 300 projects from the registry alone: the page's HTML is well over React's progressive
  // chunk size (12.8 KB), the size at which a Suspense boundary around the page was outlined
  // into a hidden segment (`<div hidden id="S:…">`) that the browser revealed only when React's
  // inline script moved it in: ~0.6 s after the top bar on the 500-project bench.
  const ports: Record<string, number> = {};
  for (let i = 0; i < 300; i++) ports[`project-${String(i).padStart(3, "0")}`] = 41000 + i;
  fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: ports }));
  await expect
    .poll(
      async () =>
        ((await (await fetch(`${app.url}/api/v1/state`)).json()) as { projects: unknown[] }).projects.length,
    )
    .toBe(300);
  const html = await (await fetch(app.url)).text();
  const at = html.indexOf('data-testid="health-matrix"');
  expect(at).toBeGreaterThan(0);
  expect(html.length).toBeGreaterThan(12_800);
  expect(html.slice(0, at)).not.toMatch(/<div hidden id="S:/);
  await page.goto(app.url);
  await expect(page.getByText("300 of 300 projects")).toBeVisible();
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

test("the charts draw as inline SVG: a time axis, the 5% target, and the keyboard reads each point", async ({
  app,
  page,
}) => {
  // Two projects the registry lists and Docker does not run: every check diverges (100%).
  fs.writeFileSync(
    app.registryPath,
    JSON.stringify({ container_ports: { "chart-a": 41001, "chart-b": 41002 } }),
  );
  await expect
    .poll(
      async () =>
        ((await (await fetch(`${app.url}/api/v1/state`)).json()) as { summary: { checks: number } }).summary
          .checks,
    )
    .toBe(2);
  await page.goto(`${app.url}/?range=1h&tz=utc`);
  const chart = page.getByRole("group", { name: /Divergence rate over time/ });
  await expect(chart.locator("svg circle").first()).toBeVisible(); // one bucket so far: a dot
  await expect(chart.locator(".target-label")).toHaveText("5% target");
  await expect(chart.locator(".tick").first()).toBeVisible();
  // Nothing of a chart library is loaded: the page's scripts have no Recharts in them.
  const scripts = await page.evaluate(() => performance.getEntriesByType("resource").map((r) => r.name));
  expect(scripts.some((s) => /recharts/i.test(s))).toBe(false);
  // The keyboard: End reads the newest point, in words.
  await chart.focus();
  await page.keyboard.press("End");
  const tip = chart.getByRole("status");
  await expect(tip).toBeVisible();
  await expect(tip).toContainText("UTC");
  await expect(tip).toContainText("divergence: 100%");
  await page.keyboard.press("Escape");
  await expect(tip).toBeHidden();
  // The kinds chart lists in its legend only the kinds the range has.
  const kinds = page.getByRole("group", { name: /Findings by kind/ });
  await expect(kinds.locator(".legend li")).toHaveText(["missing in Docker"]);
  await page.screenshot({ path: artifact("overview-charts"), fullPage: true });
});
