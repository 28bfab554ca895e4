// npm run bench:ui - page budgets from the production build, in Debian's Chromium:
//  - first-load JavaScript per page: gzip bytes of the scripts the served HTML names, less the
//    `noModule` polyfill (a module-capable browser never fetches it; the figure with it is
//    printed too);
//  - all JavaScript Chromium downloads on a first visit until the network is idle (gzip);
//  - the time until the overview's matrix shows 500 and 2,000 projects, against a baseline
//    measured in the same run and browser (a page with no data: /sign-in), and how smooth a
//    scroll through 2,000 rows is (frame intervals while scrolling); and when the browser painted
//    the matrix's count line (Element Timing), before Playwright's check can run.
// Each figure is also compared with the previous run's (docs/bench-ui.json).
import fs from "node:fs";
import zlib from "node:zlib";
import { chromium, type Browser } from "@playwright/test";
import { startApp } from "../e2e/support/app";
import { CHROMIUM_ARGS } from "../lib/chromium-args";

const PREVIOUS = "docs/bench-ui.json";
const prev = fs.existsSync(PREVIOUS)
  ? (JSON.parse(fs.readFileSync(PREVIOUS, "utf8")) as Record<string, number>)
  : {};
const REPS = Number(process.env.BENCH_REPS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const gzipLength = (b: Buffer) => zlib.gzipSync(b).length;

const app = await startApp({
  DOCKER_HOST: "unix:///tmp/l9-bench-ui-no-docker.sock",
  L9_POLL_INTERVAL_MS: "2000",
});
const results: Record<string, number> = {};
const baselines: Record<string, number> = {};

/** No Docker here on purpose: N projects from the registry file alone, each "unknown". */
async function fleet(n: number) {
  const ports: Record<string, number> = {};
  for (let i = 0; i < n; i++) ports[`project-${String(i).padStart(4, "0")}`] = 40000 + i;
  fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: ports }));
  for (let i = 0; i < 100; i++) {
    const s = (await (await fetch(`${app.url}/api/v1/state`)).json()) as { projects: unknown[] };
    if (s.projects.length === n) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the app never showed ${n} projects`);
}

async function firstLoad(page: string) {
  const html = await (await fetch(`${app.url}${page}`)).text();
  let modern = 0;
  let all = 0;
  for (const m of new Set(html.matchAll(/<script[^>]+src="([^"]+)"[^>]*>/g))) {
    const gz = gzipLength(Buffer.from(await (await fetch(new URL(m[1]!, app.url))).arrayBuffer()));
    all += gz;
    if (!/noModule/i.test(m[0])) modern += gz;
  }
  results[`first-load JS ${page} (KB gzip)`] = kb(modern);
  results[`first-load JS ${page} incl. the noModule polyfill (KB gzip)`] = kb(all);
}

async function downloaded(browser: Browser, page: string) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  const bodies: Promise<number>[] = [];
  p.on("response", (r) => {
    if (r.request().resourceType() === "script") bodies.push(r.body().then(gzipLength, () => 0));
  });
  // Not "networkidle": pages that show the state keep an event stream open (live updates).
  await p.goto(`${app.url}${page}`, { waitUntil: "load" });
  // The overview's charts load after the matrix has painted: give them time to arrive.
  await p.waitForTimeout(4000);
  const sizes = await Promise.all(bodies);
  results[`JS downloaded on a first visit (4 s after load) ${page} (KB gzip, Chromium)`] = kb(
    sizes.reduce((a, b) => a + b, 0),
  );
  await ctx.close();
}

async function timeTo(
  browser: Browser,
  url: string,
  ready: (p: import("@playwright/test").Page) => Promise<void>,
  reps = REPS,
  painted?: string,
) {
  const times: number[] = [];
  const paints: number[] = [];
  for (let i = 0; i < reps; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    const t = performance.now();
    await page.goto(url, { waitUntil: "commit" });
    await ready(page);
    times.push(performance.now() - t);
    if (painted) paints.push(await paintedAt(page, painted));
    await ctx.close();
  }
  return { ms: Math.round(median(times)), paintedMs: paints.length ? Math.round(median(paints)) : null };
}

/**
 * When the browser painted the element marked `elementtiming=id` (the Element Timing API),
 * from the navigation's start. Playwright's "visible" comes later: its check runs on the
 * page's main thread, which is busy loading and hydrating the scripts after the first paint.
 */
async function paintedAt(page: import("@playwright/test").Page, id: string): Promise<number> {
  return page.evaluate(
    (id) =>
      new Promise<number>((resolve, reject) => {
        new PerformanceObserver((list, observer) => {
          const entry = list
            .getEntries()
            .find((e) => (e as PerformanceEntry & { identifier?: string }).identifier === id);
          if (!entry) return;
          observer.disconnect();
          resolve(entry.startTime);
        }).observe({ type: "element", buffered: true });
        setTimeout(() => reject(new Error(`no element timing for ${id}`)), 10_000);
      }),
    id,
  );
}

async function matrixVisible(browser: Browser, n: number) {
  // One unmeasured visit of each, so the server's first render of a page is not in the figures.
  await timeTo(browser, `${app.url}/sign-in`, async () => {}, 1);
  await timeTo(browser, app.url, (p) => p.getByText(`${n} of ${n} projects`).waitFor({ timeout: 60_000 }), 1);
  const base = await timeTo(
    browser,
    `${app.url}/sign-in`,
    (p) => p.getByRole("heading", { level: 1 }).first().waitFor({ timeout: 60_000 }),
    REPS,
    // Its heading is drawn on the client (the page reads the URL); the top bar is in the HTML.
    "brand",
  );
  const t = await timeTo(
    browser,
    app.url,
    async (p) => {
      await p.locator("tr[data-project]").first().waitFor({ timeout: 60_000 });
      await p.getByText(`${n} of ${n} projects`).waitFor({ timeout: 60_000 });
    },
    REPS,
    "matrix-count",
  );
  const key = `overview matrix visible, ${n} projects (ms, median of ${REPS})`;
  results[key] = t.ms;
  baselines[key] = base.ms;
  const paintKey = `overview matrix painted (Element Timing), ${n} projects (ms from navigation, median of ${REPS})`;
  results[paintKey] = t.paintedMs!;
  baselines[paintKey] = base.paintedMs!;
}

/**
 * Frame intervals over 60 frames: idle (the baseline: what a frame costs here with nothing to
 * do), scrolling the 2,000-row matrix 100 px a frame (a wheel or trackpad), and a screen a
 * frame (page down held). Then the last row must be reachable.
 */
async function scrolling(browser: Browser, n: number) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(app.url);
  await page.getByText(`${n} of ${n} projects`).waitFor({ timeout: 60_000 });
  const run = (step: number) =>
    page.evaluate(async (step) => {
      window.scrollTo(0, 0);
      await new Promise((r) => setTimeout(r, 300));
      const out: number[] = [];
      let last = performance.now();
      for (let i = 1; i <= 60; i++) {
        if (step > 0) window.scrollTo(0, step * i);
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        out.push(now - last);
        last = now;
      }
      return out.sort((a, b) => a - b);
    }, step);
  const p95 = (f: number[]) => Math.round(f[Math.floor(f.length * 0.95)]!);
  const idle = await run(0);
  for (const [step, name] of [
    [100, "100 px a frame"],
    [900, "a screen a frame"],
  ] as const) {
    const f = await run(step);
    const key = `scroll ${n} rows, ${name}: p95 frame interval (ms)`;
    results[key] = p95(f);
    baselines[key] = p95(idle);
    results[`scroll ${n} rows, ${name}: frames over 50 ms (of 60)`] = f.filter((x) => x > 50).length;
  }
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const last = `project-${String(n - 1).padStart(4, "0")}`;
  await page.locator(`tr[data-project="${last}"]`).waitFor({ timeout: 10_000 });
  results[`scroll ${n} rows: rows in the DOM at the bottom`] = await page.locator("tr[data-project]").count();
  await ctx.close();
}

try {
  await fleet(500);
  for (const page of ["/", "/projects/project-0001", "/sources", "/phases"]) await firstLoad(page);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    for (const page of ["/", "/projects/project-0001", "/sources", "/phases"])
      await downloaded(browser, page);
    await matrixVisible(browser, 500);
    await fleet(2000);
    await matrixVisible(browser, 2000);
    await scrolling(browser, 2000);
  } finally {
    await browser.close();
  }
} finally {
  await app.stop();
}
console.log(
  "| measure | this run | same-run baseline (/sign-in visible; its top bar painted; idle frames) | ratio | previous run |",
);
console.log("|---|---|---|---|---|");
for (const [k, v] of Object.entries(results)) {
  const b = baselines[k];
  const p = prev[k];
  console.log(`| ${k} | ${v} | ${b ?? "—"} | ${b ? (v / b).toFixed(2) + "x" : "—"} | ${p ?? "—"} |`);
}
fs.writeFileSync(PREVIOUS, JSON.stringify(results, null, 2) + "\n");
