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

/** The y of a value on a chart's value axis, from its first and last tick labels (Recharts' DOM). */
async function yOf(chart: import("@playwright/test").Locator, value: number) {
  const ticks = await chart
    .locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value")
    .evaluateAll((els) =>
      els.map((e) => ({ v: parseFloat(e.textContent ?? ""), y: Number(e.getAttribute("y")) })),
    );
  const [lo, hi] = [ticks[0]!, ticks.at(-1)!];
  expect(hi.v).toBeGreaterThan(lo.v);
  return lo.y + ((value - lo.v) / (hi.v - lo.v)) * (hi.y - lo.y);
}

test("the charts are Recharts: a time axis, the 5% target line, a phase mark, the tooltip by pointer and by keyboard", async ({
  app,
  page,
  request,
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
  // A phase change, marked on every chart of the range.
  expect((await request.post(`${app.url}/api/v1/session`, { data: { name: "ana" } })).status()).toBe(200);
  expect((await request.post(`${app.url}/api/v1/phases/current`, { data: { phase: 1 } })).status()).toBe(201);
  await page.goto(`${app.url}/?range=1h&tz=utc`);
  const chart = page.getByRole("region", { name: "Divergence rate" });
  const surface = chart.getByRole("application", { name: /Divergence rate over time against the 5% target/ });
  await expect(surface).toBeVisible();
  await expect(chart.locator(".recharts-line-dots circle").first()).toBeVisible(); // few buckets: dots
  // The time axis: clock times on whole quarter hours (a 1 h range); the value axis in percent.
  const xTicks = chart.locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value");
  await expect(xTicks.first()).toBeVisible();
  const times = await xTicks.allTextContents();
  expect(times.length).toBeGreaterThan(1);
  for (const t of times) expect(t).toMatch(/^\d{2}:(00|15|30|45)$/);
  await expect(
    chart.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value").first(),
  ).toHaveText("0%");
  // The target: one horizontal line at 5% on the value axis, labelled.
  const target = chart.locator(".recharts-reference-line.target");
  await expect(target).toHaveCount(1);
  const line = target.locator("line");
  const [y1, y2] = [Number(await line.getAttribute("y1")), Number(await line.getAttribute("y2"))];
  expect(y1).toBe(y2);
  expect(Math.abs(y1 - (await yOf(chart, 5)))).toBeLessThan(1);
  // Its label (Recharts draws labels in a layer of their own): beside the line.
  const targetLabel = chart.locator(".recharts-label", { hasText: "5% target" });
  await expect(targetLabel).toHaveCount(1);
  expect(Math.abs(Number(await targetLabel.getAttribute("y")) - y1)).toBeLessThan(16);
  // The phase change: a dashed vertical line labelled "phase change" on both charts that have data.
  for (const region of [chart, page.getByRole("region", { name: "Findings by kind (average per poll)" })]) {
    const mark = region.locator(".recharts-reference-line.mark-phase");
    await expect(mark).toHaveCount(1);
    const l = mark.locator("line");
    const x = Number(await l.getAttribute("x1"));
    expect(Number(await l.getAttribute("x2"))).toBe(x);
    await expect(l).toHaveAttribute("stroke-dasharray", "4 3");
    // Its label sits above the plot (HTML, laid out apart from the other marks' labels), over the line.
    const markLabel = region.getByRole("button", { name: "phase change" });
    await expect(markLabel).toHaveCount(1);
    const [lb, lx] = [(await markLabel.boundingBox())!, (await l.boundingBox())!.x];
    expect(lx).toBeGreaterThanOrEqual(lb.x - 1);
    expect(lx).toBeLessThanOrEqual(lb.x + lb.width + 1);
  }
  // The pointer on the phase mark: the tooltip reads its bucket's time, value, and names the mark.
  const tip = chart.locator(".recharts-tooltip-wrapper");
  await expect(tip).toBeHidden();
  await chart.scrollIntoViewIfNeeded(); // below the matrix since issue 27
  const box = (await chart.locator(".recharts-reference-line.mark-phase line").boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(tip).toBeVisible();
  await expect(tip.locator(".recharts-tooltip-label")).toContainText(/\d{2}:\d{2} UTC/);
  await expect(tip.locator(".tip-mark", { hasText: "phase set to 1 by ana" })).toHaveCount(1);
  await expect(tip.locator(".recharts-tooltip-item")).toHaveText("divergence: 100%");
  await page.mouse.move(0, 0);
  await expect(tip).toBeHidden();
  // The keyboard: Tab from the range picker's last control reaches the chart; → reads each bucket
  // in turn (Recharts' accessibility layer), up to the newest, which has a value.
  await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "Apply" }).focus();
  await page.keyboard.press("Tab");
  await expect(surface).toBeFocused();
  // Focus activates the oldest bucket; it holds no checks yet (the app started minutes ago), so
  // there is nothing to read until → reaches the buckets with data.
  const reading = async () =>
    (await tip.isVisible()) && (await tip.locator(".recharts-tooltip-item").count()) > 0;
  let presses = 0;
  while (!(await reading()) && presses < 130) {
    await page.keyboard.press("ArrowRight");
    presses++;
  }
  expect(presses).toBeGreaterThan(0);
  await expect(tip).toBeVisible();
  await expect(tip.locator(".recharts-tooltip-label")).toContainText(/\d{2}:\d{2} UTC/);
  await expect(tip.locator(".recharts-tooltip-item")).toHaveText("divergence: 100%");
  await page.keyboard.press("Tab");
  await expect(surface).not.toBeFocused();
  await expect(tip).toBeHidden();
  // The kinds chart's legend (Recharts') lists only the kinds the range has.
  const kinds = page.getByRole("region", { name: "Findings by kind (average per poll)" });
  await expect(kinds.locator(".recharts-legend-item")).toHaveText(["missing in Docker"]);
  await page.screenshot({ path: artifact("overview-charts"), fullPage: true });
});

test("the chart code loads after the matrix: the matrix is in the served HTML, Recharts comes in a later chunk", async ({
  app,
  page,
}) => {
  fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: { "chart-a": 41001 } }));
  await expect
    .poll(
      async () =>
        ((await (await fetch(`${app.url}/api/v1/state`)).json()) as { projects: unknown[] }).projects.length,
    )
    .toBe(1);
  const html = await (await fetch(app.url)).text();
  expect(html).toContain('data-testid="health-matrix"');
  const initial = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
  expect(initial.length).toBeGreaterThan(0);
  // Every script the browser fetches, in order, and which of them holds Recharts' code.
  const scripts: { url: string; recharts: boolean }[] = [];
  page.on("response", async (r) => {
    if (r.request().resourceType() !== "script") return;
    const entry = { url: new URL(r.url()).pathname, recharts: false };
    scripts.push(entry);
    entry.recharts = (await r.text().catch(() => "")).includes("recharts-cartesian-axis-tick-value");
  });
  await page.goto(`${app.url}/?range=1h`);
  await expect(
    page.getByRole("region", { name: "Divergence rate" }).locator(".recharts-surface"),
  ).toBeVisible();
  await expect.poll(() => scripts.filter((s) => s.recharts).length).toBeGreaterThan(0);
  const chunks = scripts.filter((s) => s.recharts).map((s) => s.url);
  for (const c of chunks) {
    // Not named by the HTML (neither a script tag nor the page's flight data): fetched later.
    expect(initial).not.toContain(c);
    expect(html).not.toContain(c.split("/").at(-1)!);
  }
  // None of the scripts the HTML names carries Recharts.
  for (const src of initial) {
    const body = await (await fetch(new URL(src, app.url))).text();
    expect(body.includes("recharts-cartesian-axis-tick-value"), src).toBe(false);
  }
});

test.describe("with Docker unreachable and reads reported", () => {
  test.use({ appEnv: { DOCKER_HOST: "unix:///tmp/l9-nothing-listens-here.sock" } });
  test("the fallback chart shades Docker's outage, draws its target line, and the tooltip names the outage", async ({
    app,
    page,
    request,
  }) => {
    const at = new Date().toISOString();
    const events = Array.from({ length: 10 }, (_, i) => ({
      at,
      project: "proj-000",
      served_by: i < 4 ? "fallback" : "docker",
      docker_ok: false,
      latency_ms: 4,
    }));
    const res = await request.post(`${app.url}/api/v1/ingest/read-events`, {
      data: { instance_id: "mcp-reader", events },
    });
    expect(res.status()).toBe(202);
    await expect
      .poll(async () => {
        const s = (await (await fetch(`${app.url}/api/v1/series?range=1h`)).json()) as {
          points: { unreachable_polls: number }[];
        };
        return s.points.some((p) => p.unreachable_polls > 0);
      })
      .toBe(true);
    await page.goto(`${app.url}/?range=1h&tz=utc`);
    const chart = page.getByRole("region", { name: "Fallback rate (read path)" });
    const area = chart.locator(".recharts-reference-area");
    await expect(area.first()).toBeVisible();
    await expect(chart.getByRole("button", { name: "Docker down" }).first()).toBeVisible();
    // The 5% target without a label here; both lines in Recharts' legend.
    await expect(chart.locator(".recharts-reference-line.target")).toHaveCount(1);
    await expect(chart.locator(".recharts-label", { hasText: "target" })).toHaveCount(0);
    await expect(chart.locator(".recharts-legend-item")).toHaveText(["fallback", "answered by nobody"]);
    // The pointer inside the shaded span: the tooltip says Docker was unreachable, with the rate.
    await chart.scrollIntoViewIfNeeded();
    const box = (await area.last().locator("path, rect").first().boundingBox())!;
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
    const tip = chart.locator(".recharts-tooltip-wrapper");
    await expect(tip).toBeVisible();
    await expect(tip.locator(".tip-mark", { hasText: "Docker unreachable" })).toHaveCount(1);
    await expect(tip.locator(".recharts-tooltip-item").first()).toHaveText("fallback: 40%");
  });
});

test("the phases page draws each criterion's trend with Recharts, its target as a reference line, and no tab stop", async ({
  app,
  page,
}) => {
  fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: { "spark-a": 41001 } }));
  await expect
    .poll(
      async () =>
        ((await (await fetch(`${app.url}/api/v1/state`)).json()) as { summary: { checks: number } }).summary
          .checks,
    )
    .toBe(1);
  await page.goto(`${app.url}/phases`);
  const spark = page
    .getByTestId("phase-0")
    .locator('tr[data-criterion="divergence_rate"]')
    .getByRole("img", { name: /trend over/ });
  // One bucket with checks so far: the line is one point ("M x,y"), drawn by Recharts.
  await expect(spark.locator(".recharts-line-curve")).toHaveAttribute("d", /^M[\d.]+,[\d.]+/);
  // The 5% target: a horizontal reference line.
  const target = spark.locator(".recharts-reference-line line");
  await expect(target).toHaveCount(1);
  expect(await target.getAttribute("y1")).toBe(await target.getAttribute("y2"));
  await expect(spark.locator("[tabindex='0']")).toHaveCount(0);
});
