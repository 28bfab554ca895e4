// The dashboard in Chromium against the built app, the private daemon and the simulator.
import AxeBuilder from "@axe-core/playwright";
import Docker from "dockerode";
import { artifact, expect, test } from "./support/fixtures";
import { startApp } from "./support/app";
import { SimFleet } from "../lib/sim/fleet";
import { makeRng } from "../lib/sim/rng";
import { findScenario } from "../lib/sim/scenarios";
import { ensureStubImage, startPrivateDockerd } from "../lib/dev/private-dockerd";

async function simulate(name: string, socket: string) {
  const scenario = findScenario(name);
  const docker = new Docker({ socketPath: socket });
  const probe = new SimFleet({
    docker,
    registryPath: "/dev/null",
    ingestUrl: null,
    phase: scenario.phase,
    instances: 0,
  });
  return { scenario, docker, runId: probe.runId, selector: probe.selector };
}

test.describe("with a simulated fleet (port-reuse)", () => {
  test("the matrix shows the simulator's projects with the right health; a kill behind the orchestrator's back shows up without a reload", async ({
    page,
    fleet,
  }) => {
    const sim = await simulate("port-reuse", fleet.socketPath);
    const app = await startApp({
      DOCKER_HOST: `unix://${fleet.socketPath}`,
      L9_LABEL_SELECTOR: sim.selector,
      L9_SIMULATED: "1",
    });
    const f = new SimFleet({
      docker: sim.docker,
      registryPath: app.registryPath,
      ingestUrl: app.url,
      phase: 0,
      instances: 1,
      runId: sim.runId,
    });
    try {
      await sim.scenario.setup(f, makeRng(1));
      await page.goto(app.url);
      const matrix = page.getByTestId("health-matrix");
      await expect(matrix.locator("tr[data-project]")).toHaveCount(3);
      await expect(matrix.locator('tr[data-project="proj-a"]')).toHaveAttribute("data-health", "diverged");
      await expect(matrix.locator('tr[data-project="proj-c"]')).toHaveAttribute("data-health", "diverged");
      // Phase 0: its missing labels are informational (CONTRACT 6e), not an amber warning.
      await expect(matrix.locator('tr[data-project="proj-b"]')).toHaveAttribute("data-health", "consistent");
      await expect(
        matrix.locator('tr[data-project="proj-a"] td[data-source="container_registry"]'),
      ).toContainText("missing in Docker");
      await expect(page.getByTestId("headline")).toContainText("Projects");
      await page.screenshot({ path: artifact("overview-port-reuse"), fullPage: true });

      expect(await f.killBehindBack("proj-b")).toBe(true);
      const cell = matrix.locator('tr[data-project="proj-b"] td[data-source="container_registry"]');
      await expect(cell).toContainText("not running", { timeout: 10_000 });
      await expect(matrix.locator('tr[data-project="proj-b"]')).toHaveAttribute("data-health", "diverged");
      await page.screenshot({ path: artifact("overview-after-kill"), fullPage: true });

      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
    } finally {
      await f.cleanup();
      await app.stop();
    }
  });

  test("filters and the time range survive a reload from the URL; the project page shows the side-by-side values", async ({
    page,
    fleet,
  }) => {
    const sim = await simulate("port-reuse", fleet.socketPath);
    const app = await startApp({
      DOCKER_HOST: `unix://${fleet.socketPath}`,
      L9_LABEL_SELECTOR: sim.selector,
    });
    const f = new SimFleet({
      docker: sim.docker,
      registryPath: app.registryPath,
      ingestUrl: app.url,
      phase: 0,
      instances: 1,
      runId: sim.runId,
    });
    try {
      await sim.scenario.setup(f, makeRng(1));
      await page.goto(app.url);
      const matrix = page.getByTestId("health-matrix");
      await expect(matrix.locator("tr[data-project]")).toHaveCount(3);
      await page.getByLabel("Filter by health").selectOption("diverged");
      await page.getByRole("button", { name: "7d" }).click();
      await expect(page).toHaveURL(/health=diverged/);
      await expect(page).toHaveURL(/range=7d/);
      await page.reload();
      await expect(page.getByLabel("Filter by health")).toHaveValue("diverged");
      await expect(page.getByRole("button", { name: "7d" })).toHaveAttribute("aria-pressed", "true");
      await expect(matrix.locator("tr[data-project]")).toHaveCount(2);
      await matrix.getByRole("link", { name: "proj-c" }).click();
      await expect(page).toHaveURL(/\/projects\/proj-c/);
      const sxs = page.getByTestId("side-by-side");
      await expect(sxs).toContainText("container_registry");
      await expect(sxs.locator("tr", { hasText: "port" }).first()).toContainText("48100");
      await expect(page.getByTestId("episodes")).toContainText("port conflict");
      await page.screenshot({ path: artifact("project-page"), fullPage: true });
      await page.goto(`${app.url}/sources`);
      await expect(page.getByTestId("sources-table")).toContainText("container_registry");
      await page.screenshot({ path: artifact("sources-page"), fullPage: true });
      const results = await new AxeBuilder({ page }).analyze();
      expect(
        results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id),
      ).toEqual([]);
    } finally {
      await f.cleanup();
      await app.stop();
    }
  });
});

test("an empty fleet explains what to do", async ({ app, page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId("empty-state")).toContainText("npm run demo");
  await page.screenshot({ path: artifact("overview-empty"), fullPage: true });
});

test("stopping Docker shows the unreachable banner and unknown health, then recovers", async ({ page }) => {
  const daemon = await startPrivateDockerd();
  await ensureStubImage(daemon.socketPath);
  const sim = await simulate("port-reuse", daemon.socketPath);
  let d = daemon;
  const app = await startApp({ DOCKER_HOST: daemon.dockerHost, L9_LABEL_SELECTOR: sim.selector });
  const f = new SimFleet({
    docker: sim.docker,
    registryPath: app.registryPath,
    ingestUrl: app.url,
    phase: 0,
    instances: 1,
    runId: sim.runId,
  });
  try {
    await sim.scenario.setup(f, makeRng(1));
    await page.goto(app.url);
    const matrix = page.getByTestId("health-matrix");
    await expect(matrix.locator("tr[data-project]")).toHaveCount(3);
    await d.stop();
    await expect(page.getByTestId("docker-status")).toContainText("Docker unreachable", { timeout: 20_000 });
    await expect(matrix.locator('tr[data-project="proj-a"]')).toHaveAttribute("data-health", "unknown", {
      timeout: 20_000,
    });
    await expect(matrix.locator('tr[data-health="unknown"]')).toHaveCount(3);
    await page.screenshot({ path: artifact("overview-docker-stopped"), fullPage: true });
    d = await startPrivateDockerd({ dir: daemon.dir });
    await expect(page.getByTestId("docker-status")).toContainText("Docker reachable", { timeout: 30_000 });
  } finally {
    await f.cleanup().catch(() => undefined);
    await app.stop();
    await d.stop();
  }
});
