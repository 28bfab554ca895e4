import { artifact, expect, test } from "./support/fixtures";

test("the overview loads in Chromium and shows Docker reachable", async ({ app, page }) => {
  await page.goto(app.url);
  await expect(page.getByRole("heading", { name: "Fleet state health" })).toBeVisible();
  await expect(page.getByTestId("docker-status")).toContainText("Docker reachable");
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
