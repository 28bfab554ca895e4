// Issue 27 (items 2, 6, 9, 10, 11) in Chromium against the built app and the private daemon:
// a frozen server looks stale, the matrix folds dead processes and names its columns, "where"
// is above the fold with rows that hold still, one vocabulary, and a pattern acknowledged from
// the UI with a preview of what it matches.
import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { artifact, expect, test } from "./support/fixtures";

const axeViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);

/** No sideways scroll: neither the page nor the matrix's own box is wider than it shows. */
const sideways = (page: Page) =>
  page.evaluate(() => {
    const wrap = document.querySelector(".matrix-wrap");
    return {
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      matrix: wrap ? wrap.scrollWidth - wrap.clientWidth : 0,
    };
  });

test.describe("a frozen server", () => {
  test.use({ timezoneId: "America/New_York" });
  test("the banner says how old the data is and the figures lose their colour, then recover", async ({
    app,
    fleet,
    page,
  }) => {
    test.setTimeout(120_000);
    await fleet.run({ project: "alpha", port: 48901 });
    fs.writeFileSync(app.registryPath, JSON.stringify({ projects: {}, container_ports: { alpha: 48901 } }));
    await page.goto(app.url);
    const banner = page.getByTestId("docker-status");
    await expect(banner).toContainText("Docker reachable");
    await expect(page.locator('tr[data-project="alpha"]')).toHaveAttribute("data-health", "consistent");
    const overview = page.getByTestId("overview");
    await expect(overview).toHaveAttribute("data-stale", "false");
    const colour = (sel: string) =>
      page
        .locator(sel)
        .first()
        .evaluate((el) => getComputedStyle(el).color);
    const muted = await colour(".figure-label");
    // "Projects": 1 consistent, green while the data is fresh.
    expect(await colour(".figure.tone-ok .figure-value")).not.toBe(muted);

    // Really frozen: the server process stops (SIGSTOP), its socket stays open, nothing answers.
    process.kill(app.pid, "SIGSTOP");
    try {
      await expect(banner).toContainText(/Data is \d+ s old/, { timeout: 20_000 });
      await expect(banner).not.toContainText("Docker reachable");
      await expect(banner).toContainText(/no newer poll since \d\d:\d\d:\d\d E[SD]T/);
      await expect(overview).toHaveAttribute("data-stale", "true");
      await expect(page.getByTestId("freshness")).toContainText("Data is stale");
      expect(await colour(".figure.tone-ok .figure-value")).toBe(muted);
      const badge = page.locator('tr[data-project="alpha"] .badge');
      expect(await badge.evaluate((el) => getComputedStyle(el).color)).toBe(muted);
      await page.screenshot({ path: artifact("frozen-server-overview"), fullPage: false });
      expect(await axeViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: "dark" });
      await expect(banner).toContainText(/Data is \d+ s old/);
      await page.screenshot({ path: artifact("frozen-server-overview-dark"), fullPage: false });
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      process.kill(app.pid, "SIGCONT");
    }
    await expect(banner).toContainText("Docker reachable", { timeout: 20_000 });
    await expect(overview).toHaveAttribute("data-stale", "false");
  });
});

test.describe("after restarts", () => {
  test.use({
    timezoneId: "America/New_York",
    appEnv: { L9_INSTANCE_STALE_MS: "1500", L9_POLL_INTERVAL_MS: "500" },
  });
  test("live columns first with human names, dead processes folded; where above the fold; rows hold still", async ({
    app,
    fleet,
    page,
  }) => {
    test.setTimeout(120_000);
    const names = ["alpha", "bravo", "charlie", "delta", "echo", "omega"];
    const ids: Record<string, string> = {};
    for (const [i, p] of names.entries()) ids[p] = await fleet.run({ project: p, port: 48910 + i });
    // The registry is wrong about two ports: diverged rows. omega is consistent, last.
    const ports = Object.fromEntries(names.map((p, i) => [p, 48910 + i]));
    fs.writeFileSync(
      app.registryPath,
      JSON.stringify({ projects: {}, container_ports: { ...ports, alpha: 1, bravo: 2 } }),
    );
    const indexers = Object.fromEntries(names.map((p, i) => [p, { container_id: ids[p], port: 48910 + i }]));
    const post = (body: object) =>
      fetch(`${app.url}/api/v1/ingest/active-indexers`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const snap = (id: string, started: string, extra: object = {}) => ({
      instance_id: id,
      started_at: started,
      taken_at: new Date().toISOString(),
      indexers,
      ...extra,
    });
    // Three processes that went silent one after another, one that exited cleanly, one live.
    for (const id of ["mcp-old1", "mcp-old2", "mcp-old3"])
      expect((await post(snap(id, new Date().toISOString()))).status).toBe(202);
    expect((await post(snap("mcp-done", new Date().toISOString(), { ended: true }))).status).toBe(202);
    // They go silent first; the live one that follows is a restart (its recovery is evidence).
    const deadOnes = async () => {
      const s = (await (await fetch(`${app.url}/api/v1/state`)).json()) as {
        sources: { id: string; status: string }[];
      };
      return s.sources.filter((x) => x.status === "stale" || x.status === "ended").length;
    };
    await expect.poll(deadOnes).toBe(4);
    const started = new Date().toISOString();
    const live = () => post(snap("mcp-live", started)).catch(() => undefined);
    await live();
    const keepAlive = setInterval(() => void live(), 400);
    try {
      await expect.poll(deadOnes).toBe(4);
      await page.goto(app.url);
      const matrix = page.getByTestId("health-matrix");
      await expect(matrix.locator('tr[data-project="alpha"]')).toHaveAttribute("data-health", "diverged");

      // 6: human headers, the id as title; the dead ones in one column that opens.
      const headers = matrix.locator("thead th");
      await expect(headers).toHaveText([
        /Project/,
        /Health/,
        /For/,
        "Docker",
        "Registry file",
        "Orchestrator 1",
        /4 ended\/stale processes/,
      ]);
      await expect(matrix.getByText("Orchestrator 1", { exact: true })).toHaveAttribute(
        "title",
        "active_indexers:mcp-live",
      );
      await expect(headers.filter({ hasText: "active_indexers:" })).toHaveCount(0);
      expect(await sideways(page)).toEqual({ page: 0, matrix: 0 });
      const fold = matrix.getByRole("button", { name: /4 ended\/stale processes/ });
      await fold.click();
      await expect(fold).toHaveAttribute("aria-expanded", "true");
      await expect(headers).toHaveCount(11);
      await fold.click();
      await expect(headers).toHaveCount(7);

      // 10: chips and filters in words, the id in a title.
      const chip = matrix.locator('tr[data-project="alpha"] td[data-source="container_registry"] .kind');
      await expect(chip).toHaveText("port differs");
      await expect(chip).toHaveAttribute("title", /^port_mismatch · /);
      const options = await page.getByLabel("Filter by finding kind").locator("option").allTextContents();
      expect(options.filter((o) => o.includes("_"))).toEqual([]);
      expect(options).toContain("missing in Docker");

      // 9: the longest diverged, how long and where, and the matrix's first rows above the fold.
      const longest = page.getByTestId("longest-diverged");
      await expect(longest).toContainText("alpha for under a minute · Registry file");
      await expect(longest).toContainText("bravo for under a minute · Registry file");
      await expect(page.locator("body")).not.toContainText(/for 0 s/);
      const fold900 = async () => {
        const l = await longest.boundingBox();
        const firstRows = await matrix.locator("tbody tr").nth(2).boundingBox();
        return {
          longest: !!l && l.y + l.height <= 900,
          rows: !!firstRows && firstRows.y + firstRows.height <= 900,
        };
      };
      expect(await fold900()).toEqual({ longest: true, rows: true });
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: artifact("overview-where-1440"), fullPage: false });

      // Rows hold still under the pointer: omega turns diverged (its container stops) while the
      // pointer is on the table; it moves to the diverged group only once the pointer leaves.
      const order = () =>
        matrix
          .locator("tbody tr[data-project]")
          .evaluateAll((rs) => rs.map((r) => r.getAttribute("data-project")));
      const before = await order();
      expect(before.at(-1)).toBe("omega");
      await matrix.locator('tr[data-project="charlie"] th').hover();
      await fleet.stop(ids.omega!);
      await expect(matrix.locator('tr[data-project="omega"]')).toHaveAttribute("data-health", "diverged", {
        timeout: 15_000,
      });
      expect(await order()).toEqual(before);
      await expect(page.getByTestId("matrix-held")).toContainText("rows move when it leaves");
      await page.mouse.move(700, 5);
      await expect.poll(order).not.toEqual(before);
      expect((await order()).indexOf("omega")).toBeLessThan(3);

      await page.setViewportSize({ width: 1920, height: 1080 });
      expect(await sideways(page)).toEqual({ page: 0, matrix: 0 });
      await page.setViewportSize({ width: 390, height: 844 });
      expect((await sideways(page)).page).toBe(0);
      await page.emulateMedia({ colorScheme: "dark" });
      await page.setViewportSize({ width: 1440, height: 900 });
      expect(await axeViolations(page)).toEqual([]);

      // Evidence on the phases page: instants in the page's zone (the restart's times), headings without the API's units.
      await page.goto(`${app.url}/phases`);
      const tables = page.locator("table.evidence-table");
      await expect(
        page.locator("table.evidence-table th", { hasText: /^recovered in$/ }).first(),
      ).toBeAttached();
      const cells = await tables.locator("td").allTextContents();
      expect(cells.filter((c) => /\d{4}-\d\d-\d\dT\d\d:\d\d/.test(c))).toEqual([]);
      expect(cells.filter((c) => / E[SD]T$/.test(c)).length).toBeGreaterThan(0);
      const heads = await tables.locator("th, td.mono").allTextContents();
      expect(heads.filter((h) => /(^|[ _])ms$/.test(h.trim()))).toEqual([]);
    } finally {
      clearInterval(keepAlive);
    }
  });
});

test.describe("an editor", () => {
  test.use({
    timezoneId: "America/New_York",
    appEnv: {
      L9_EDITORS: "ana",
      L9_AUTH_PROXY_HEADER: "X-Forwarded-User",
      L9_AUTH_PROXY_TRUSTED: "127.0.0.1",
    },
  });
  test("acknowledges a pattern with a preview of what it matches", async ({ app, fleet, page }) => {
    for (const [i, p] of ["alpha", "beta", "gamma"].entries())
      await fleet.run({ project: p, port: 48930 + i, phase1: true });
    // The registry gap that hits every project: it never writes container_ports.
    fs.writeFileSync(
      app.registryPath,
      JSON.stringify({ projects: { alpha: "/home/dev/alpha" }, container_ports: {} }),
    );
    await page.context().setExtraHTTPHeaders({ "x-forwarded-user": "ana" });
    await expect
      .poll(async () => {
        const s = (await (await fetch(`${app.url}/api/v1/state`)).json()) as {
          projects: { health: string }[];
        };
        return s.projects.filter((p) => p.health === "diverged").length;
      })
      .toBe(3);
    await page.goto(`${app.url}/projects/alpha`);
    await page.getByRole("button", { name: "Acknowledge…" }).first().click();
    await page.getByLabel("every project matching").check();
    const pattern = page.getByLabel("Project pattern");
    await expect(pattern).toHaveValue("*");
    const preview = page.getByTestId("ack-preview");
    await expect(preview).toContainText("Matches 3 findings in 3 projects now: alpha, beta, gamma");
    await pattern.fill("al*");
    await expect(preview).toContainText("Matches 1 finding in 1 project now: alpha");
    await pattern.fill("*a");
    await expect(preview).toContainText("Matches 3 findings in 3 projects now");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Reason").fill("the registry never writes container_ports");
    await page.getByRole("button", { name: "Acknowledge", exact: true }).click();
    await expect(pattern).toHaveCount(0);
    await page.goto(app.url);
    const acks = page.getByTestId("acks-table");
    await expect(acks).toContainText("*a");
    for (const p of ["alpha", "beta", "gamma"])
      await expect(page.locator(`tr[data-project="${p}"] td.s-acknowledged`)).toHaveCount(1);
  });
});
