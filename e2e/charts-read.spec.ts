// Issue 27 items 5, 7 and 12: chart marks that stay readable when they crowd, the project's
// timeline with an axis, and what a Grafana user expects (zoom, presets, a zone-named picker,
// sample sizes, gaps). One app start per test; several screen sizes and dark mode in each.
import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { artifact, expect, test } from "./support/fixtures";
import { CHART_KINDS, kindsChart } from "../lib/ui/charts";

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
  { width: 390, height: 844 },
];

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function noSeriousAxe(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  ).toEqual([]);
}

/**
 * What is wrong with a chart's mark labels, in words: one outside the chart, over another, or
 * with its text cut. Read in the page at once (no label moves between two reads).
 */
const labelProblems = (region: Locator) =>
  region.evaluate((el) => {
    const outer = el.getBoundingClientRect();
    const labels = [...el.querySelectorAll<HTMLElement>(".chart-mark")];
    const out: string[] = [];
    const boxes = labels.map((l) => l.getBoundingClientRect());
    labels.forEach((l, i) => {
      const b = boxes[i]!;
      if (b.left < outer.left - 0.5 || b.right > outer.right + 0.5) out.push(`${l.textContent} outside`);
      if (l.scrollWidth > l.clientWidth + 1) out.push(`${l.textContent} cut`);
      for (let j = i + 1; j < boxes.length; j++) {
        const c = boxes[j]!;
        if (!(b.right <= c.left || c.right <= b.left || b.bottom <= c.top || c.bottom <= b.top))
          out.push(`${l.textContent} over ${labels[j]!.textContent}`);
      }
    });
    return { count: labels.length, problems: out };
  });

/** WCAG contrast of two rgb() colours. */
function contrast(a: string, b: string) {
  const lum = (c: string) => {
    const [r, g, bl] = c
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map(Number)
      .map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

test.describe("with Docker unreachable, reads reported, nine restarts and a phase change", () => {
  test.use({ appEnv: { DOCKER_HOST: "unix:///tmp/l9-nothing-listens-here.sock" } });

  test("overview charts: crowded marks grouped with a card, labels apart and whole, tooltips with marks and sample sizes, gaps, own colours, zoom, presets and a zone-named picker", async ({
    app,
    page,
    request,
  }) => {
    // Three screen sizes and both colour schemes on one app start.
    test.setTimeout(120_000);
    const at = new Date().toISOString();
    const events = Array.from({ length: 10 }, (_, i) => ({
      at,
      project: "proj-000",
      served_by: i < 4 ? "fallback" : "docker",
      docker_ok: false,
      latency_ms: 4,
    }));
    expect(
      (await post(`${app.url}/api/v1/ingest/read-events`, { instance_id: "mcp-reader", events })).status,
    ).toBe(202);
    // One process that restarts nine times within seconds (a crash loop): a new started_at each.
    const base = Date.now() - 60_000;
    for (let i = 0; i <= 9; i++) {
      const r = await post(`${app.url}/api/v1/ingest/active-indexers`, {
        instance_id: "mcp-crashloop",
        started_at: new Date(base + i * 1000).toISOString(),
        taken_at: new Date().toISOString(),
        indexers: {},
      });
      expect(r.status).toBe(202);
    }
    expect((await request.post(`${app.url}/api/v1/session`, { data: { name: "ana" } })).status()).toBe(200);
    expect((await request.post(`${app.url}/api/v1/phases/current`, { data: { phase: 1 } })).status()).toBe(
      201,
    );
    await expect
      .poll(async () => {
        const s = (await (await fetch(`${app.url}/api/v1/series?range=1h`)).json()) as {
          points: { unreachable_polls: number }[];
          annotations: { kind: string }[];
        };
        return [
          s.annotations.filter((a) => a.kind === "restart").length,
          s.annotations.filter((a) => a.kind === "phase_change").length,
          s.points.some((p) => p.unreachable_polls > 0),
        ];
      })
      .toEqual([9, 1, true]);

    const chart = page.getByRole("region", { name: "Fallback rate (read path)" });
    await page.setViewportSize(SIZES[0]!);
    await page.goto(`${app.url}/?range=1h&tz=utc`);
    await expect(chart.getByRole("application")).toBeVisible();
    for (const [i, size] of SIZES.entries()) {
      await page.setViewportSize(size);
      // Nine restarts are one label; the outage and the phase change have their own, apart.
      const restarts = chart.getByRole("button", { name: "9 restarts" });
      await expect(restarts).toHaveCount(1);
      await expect(chart.getByRole("button", { name: "Docker down" })).toHaveCount(1);
      await expect(chart.getByRole("button", { name: "phase change" })).toHaveCount(1);
      await expect.poll(() => labelProblems(chart)).toEqual({ count: 3, problems: [] });
      // The lines are still Recharts' own, one per restart.
      await expect(chart.locator(".recharts-reference-line.mark-restart")).toHaveCount(9);
      // Focus opens the card listing each restart, inside the chart; blur closes it.
      await restarts.focus();
      const card = chart.getByRole("tooltip");
      await expect(card.locator("li")).toHaveCount(9);
      await expect(card.locator("li").first()).toContainText("orchestrator restart: mcp-crashloop");
      const [cb, rb] = [(await card.boundingBox())!, (await chart.boundingBox())!];
      expect(cb.x).toBeGreaterThanOrEqual(rb.x - 0.5);
      expect(cb.x + cb.width).toBeLessThanOrEqual(rb.x + rb.width + 0.5);
      await restarts.blur();
      await expect(card).toHaveCount(0);
      if (i === 2) await page.screenshot({ path: artifact("chart-marks-phone"), fullPage: true });
    }
    // Back to a laptop, the chart laid out afresh (a resized chart redraws after a moment).
    await page.setViewportSize(SIZES[0]!);
    await page.goto(`${app.url}/?range=1h&tz=utc`);
    await expect(chart.getByRole("application")).toBeVisible();
    // Hover opens the card too.
    await chart.getByRole("button", { name: "9 restarts" }).hover();
    await expect(chart.getByRole("tooltip").locator("li")).toHaveCount(9);
    await page.mouse.move(0, 0);
    // The tooltip at the restarts names them (a few, the rest counted) and gives the sample size.
    const tip = chart.locator(".recharts-tooltip-wrapper");
    const line = (await chart.locator(".recharts-reference-line.mark-restart line").first().boundingBox())!;
    await page.mouse.move(line.x + line.width / 2, line.y + line.height / 2);
    await expect(tip).toBeVisible();
    await expect(
      tip.locator(".tip-mark", { hasText: "orchestrator restart: mcp-crashloop" }).first(),
    ).toBeVisible();
    await expect(tip.locator(".tip-sample")).toHaveText(/^\d+ read events?$/);
    // The range before the app started holds no poll: hatched apart, and the tooltip says so.
    const gap = chart.locator(".recharts-reference-area.no-data").first();
    await expect(gap).toBeVisible();
    const gb = (await gap.locator("path, rect").first().boundingBox())!;
    await page.mouse.move(gb.x + 4, gb.y + gb.height / 2);
    await expect(tip.locator(".tip-mark", { hasText: "no data: nothing polled" })).toHaveCount(1);
    await expect(tip.locator(".tip-sample")).toHaveText("0 read events");
    await page.mouse.move(0, 0);

    // Drag across the plot: the range selected goes into the URL.
    const plot = (await chart.locator(".recharts-cartesian-grid").boundingBox())!;
    const y = plot.y + plot.height / 2;
    await page.mouse.move(plot.x + plot.width * 0.2, y);
    await page.mouse.down();
    await page.mouse.move(plot.x + plot.width * 0.4, y);
    await page.mouse.move(plot.x + plot.width * 0.6, y);
    await page.mouse.up();
    await expect(page).toHaveURL(/range=custom/);
    const url = new URL(page.url());
    const [from, to] = [Date.parse(url.searchParams.get("from")!), Date.parse(url.searchParams.get("to")!)];
    expect(to - from).toBeGreaterThan(15 * 60_000);
    expect(to - from).toBeLessThan(30 * 60_000);
    // The picker shows the zoomed range in the page's zone, named beside each field.
    const start = page.getByLabel("Custom range start");
    await expect(start).toHaveAttribute("type", "text");
    await expect(start).toHaveValue(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(await start.inputValue()).toBe(new Date(from).toISOString().slice(0, 16).replace("T", " "));
    await expect(page.getByTestId("range-zone")).toHaveText("UTC");

    // 6 h and 12 h presets, and quick relative ranges.
    await page.getByRole("button", { name: "6h", exact: true }).click();
    await expect(page).toHaveURL(/range=6h/);
    await expect(page.getByRole("button", { name: "6h", exact: true })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    // A preset's range is in the fields too, never a blank "mm/dd/yyyy".
    await expect(start).toHaveValue(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await page.getByRole("button", { name: "12h", exact: true }).click();
    await expect(page).toHaveURL(/range=12h/);
    await page.getByLabel("Quick ranges").selectOption({ label: "Last 15 minutes" });
    await expect(page).toHaveURL(/range=15m/);
    // Every series of the findings chart has a colour of its own, at least 3:1 against the
    // panel and the page, in light and dark mode.
    const all = Object.fromEntries(CHART_KINDS.map((k) => [k, 1]));
    const colours = kindsChart({
      from: at,
      to: at,
      bucket_ms: 60_000,
      points: [{ ...emptyPoint(at), kinds: all }],
      annotations: [],
      targets: { divergence_rate: 0.05, fallback_rate: 0.05 },
    }).series.map((s) => s.colour);
    expect(colours).toHaveLength(CHART_KINDS.length);
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const { fills, panel, bg } = await page.evaluate((cs) => {
        const host = document.querySelector(".panel")!;
        const probe = (c: string) => {
          const d = document.createElement("span");
          d.style.color = c;
          host.appendChild(d);
          const v = getComputedStyle(d).color;
          d.remove();
          return v;
        };
        return {
          fills: cs.map(probe),
          panel: getComputedStyle(host).backgroundColor,
          bg: getComputedStyle(document.body).backgroundColor,
        };
      }, colours);
      expect(new Set(fills).size, `${scheme}: ${fills.join(" ")}`).toBe(colours.length);
      for (const f of fills) {
        expect(contrast(f, panel), `${scheme} ${f} on ${panel}`).toBeGreaterThanOrEqual(3);
        expect(contrast(f, bg), `${scheme} ${f} on ${bg}`).toBeGreaterThanOrEqual(3);
      }
      await noSeriousAxe(page);
    }
    await page.screenshot({ path: artifact("chart-marks-dark"), fullPage: true });
    // A typed time in the zone shown, with a space as it is displayed.
    await start.fill("2026-11-27 09:30");
    await page.getByLabel("Custom range end").fill("2026-11-27 10:30");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/from=2026-11-27T09%3A30%3A00\.000Z/);
  });
});

function emptyPoint(t: string) {
  return {
    t,
    checks: 0,
    diverged: 0,
    rate: null,
    kinds: {},
    polls: 1,
    unreachable_polls: 0,
    reads: 0,
    fallback: 0,
    fallback_rate: null,
    unanswered: 0,
    docker_ok_rate: null,
    latency_ms: null,
  };
}

test.describe("processes that stay live through the test", () => {
  test.use({ appEnv: { L9_INSTANCE_STALE_MS: "600000" } });
  test("the project drill-down: a time axis with ticks and now, whole lane labels, bars that fill the span, details by keyboard, newest episodes first in pages, and a chart", async ({
    app,
    page,
  }) => {
    // Two screen sizes, two ranges and both colour schemes on one app start.
    test.setTimeout(120_000);
    const project = "tl-project";
    const id = (i: number) => `orchestrator-process-with-a-long-name-${String(i).padStart(2, "0")}`;
    const started = new Date(Date.now() - 120_000).toISOString();
    const snap = (i: number, held: boolean) => ({
      instance_id: id(i),
      started_at: started,
      taken_at: new Date().toISOString(),
      indexers: held ? { [project]: { container_id: "0123456789ab", port: 48100 + i } } : {},
    });
    const episodes = async () =>
      (
        (await (await fetch(`${app.url}/api/v1/projects/${project}`)).json()) as {
          episodes?: { closed_at: string | null }[];
        }
      ).episodes ?? [];
    // Six processes hold the project Docker does not run, then six more: twelve episodes, in two
    // batches; then three of the first let it go (their episodes close).
    for (let i = 1; i <= 6; i++)
      expect((await post(`${app.url}/api/v1/ingest/active-indexers`, snap(i, true))).status).toBe(202);
    await expect.poll(async () => (await episodes()).length).toBe(6);
    for (let i = 7; i <= 12; i++)
      expect((await post(`${app.url}/api/v1/ingest/active-indexers`, snap(i, true))).status).toBe(202);
    await expect.poll(async () => (await episodes()).length).toBe(12);
    for (let i = 1; i <= 3; i++)
      expect((await post(`${app.url}/api/v1/ingest/active-indexers`, snap(i, false))).status).toBe(202);
    await expect.poll(async () => (await episodes()).filter((e) => e.closed_at).length).toBe(3);

    const timeline = page.getByTestId("timeline");
    const labels = timeline.locator(".lanes .lane-label");
    // Lane labels whole on a phone and on a laptop: the full source and kind, nothing cut.
    const labelsWhole = () =>
      labels.evaluateAll((ls) =>
        ls.map(
          (e) => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1 && e.textContent,
        ),
      );
    await page.setViewportSize(SIZES[2]!);
    await page.goto(`${app.url}/projects/${project}?range=24h&tz=utc`);
    await expect(labels).toHaveCount(12);
    for (const size of [SIZES[2]!, SIZES[0]!]) {
      await page.setViewportSize(size);
      await expect
        .poll(labelsWhole)
        .toEqual(Array.from({ length: 12 }, (_, i) => `active_indexers:${id(i + 1)} · missing in Docker`));
    }
    for (const range of ["24h", "7d"]) {
      if (range !== "24h") await page.goto(`${app.url}/projects/${project}?range=${range}&tz=utc`);
      await expect(timeline).toBeVisible();
      // The axis: clock (or date) ticks, and now.
      const ticks = timeline.locator(".timeline-axis .tick");
      await expect.poll(() => ticks.count()).toBeGreaterThanOrEqual(2);
      for (const t of await ticks.allTextContents()) expect(t).toMatch(/\d{2}:\d{2}/);
      await expect(timeline.locator(".timeline-now")).toHaveText("now");
      // The oldest open bar is a real part of its track: the span fits the findings, not the whole
      // range (unfitted, seconds of findings in 24 h are 0.00003 of it). The fitted span keeps 2 s
      // either side, so findings 2 s old fill a third: a tenth is the bound whatever the machine.
      const track = (await timeline.locator(".lanes .lane-track").first().boundingBox())!;
      const widths = await timeline
        .locator(".lanes .bar.open")
        .evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().width));
      const bar = Math.max(...widths);
      expect(bar / track.width, `${range}: bar ${bar} of ${track.width}`).toBeGreaterThan(0.1);
      await expect(timeline.getByRole("button", { name: "Show the whole range" })).toBeVisible();
    }
    // Keyboard: Tab from the span toggle reaches the first bar; its details show in the card and
    // are its accessible name.
    await timeline.getByRole("button", { name: "Show the whole range" }).focus();
    await page.keyboard.press("Tab");
    const focused = page.locator(".timeline .bar:focus");
    await expect(focused).toHaveCount(1);
    await expect(focused).toHaveAccessibleName(
      /missing in Docker at active_indexers:orchestrator-process-with-a-long-name-\d\d: opened .* UTC/,
    );
    await expect(page.getByTestId("timeline-card")).toContainText(
      /missing in Docker at active_indexers:orchestrator-process/,
    );
    await expect(
      page.getByRole("button", {
        name: /at active_indexers:orchestrator-process-with-a-long-name-01: opened .* closed/,
      }),
    ).toHaveCount(1);

    // The table: newest first, ten a page.
    const table = page.getByTestId("episodes");
    const rows = table.locator("tbody tr");
    await expect(rows).toHaveCount(10);
    const opened = await rows.evaluateAll((trs) =>
      trs.map((tr) => tr.querySelectorAll("time")[0]!.getAttribute("datetime")!),
    );
    expect([...opened].sort().reverse()).toEqual(opened);
    await expect(rows.first()).toContainText(/long-name-(0[7-9]|1[0-2])/);
    const pager = page.getByTestId("episodes-pager");
    await expect(pager).toContainText("1–10 of 12, newest first");
    await pager.getByRole("button", { name: "Older" }).click();
    await expect(rows).toHaveCount(2);
    await expect(pager).toContainText("11–12 of 12");
    await expect(rows.first()).toContainText(/long-name-0[1-6]/);

    // The project over time, drawn by Recharts.
    const chart = page.getByRole("region", { name: "Open findings over time" });
    await expect(
      chart.getByRole("application", { name: /Open findings of this project over time/ }),
    ).toBeVisible();
    expect(await chart.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
    await expect(chart.locator(".recharts-legend-item")).toHaveText(["missing in Docker"]);
    await page.screenshot({ path: artifact("project-timeline"), fullPage: true });
    await noSeriousAxe(page);
    await page.emulateMedia({ colorScheme: "dark" });
    await noSeriousAxe(page);
  });
});
