// npx tsx bench/state-order.ts - what the default overview downloads at N projects (issue 26):
// a team server (SQLite) with one host of BENCH_PROJECTS projects (2,000; 1% diverged, named
// last) delivered over the agent's contract, the production build as it is in .next, Debian's
// Chromium. Per visit of `/`: the /api/v1/state requests and their bytes (decoded, and on the
// wire) within BENCH_SETTLE_MS after the first row showed, the HTML document's bytes, and the
// time until the first row shows against /sign-in in the same run (median of BENCH_REPS).
import { chromium, type Browser } from "@playwright/test";
import { startApp } from "../e2e/support/app";
import { bigHostToken, deliverBigHost } from "../e2e/support/big-host";
import { CHROMIUM_ARGS } from "../lib/chromium-args";

const N = Number(process.env.BENCH_PROJECTS ?? 2000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const SETTLE = Number(process.env.BENCH_SETTLE_MS ?? 6000);
const HOST = "dev-01";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (b: number) => Math.round(b / 102.4) / 10;

const app = await startApp({ L9_ROLE: "server", L9_AGENT_TOKENS: `${HOST}:${bigHostToken(HOST)}` });
const projects = Array.from({ length: N }, (_, i) => ({
  name: `project-${String(i).padStart(5, "0")}`,
  diverged: i >= N - Math.ceil(N / 100),
}));
await deliverBigHost(app.url, HOST, 1, projects);

async function visit(browser: Browser) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  const state: { url: string; decoded: number; wire: number }[] = [];
  let html = 0;
  page.on("requestfinished", async (r) => {
    const u = new URL(r.url());
    const sizes = await r.sizes().catch(() => null);
    const body = (await (await r.response())?.body().catch(() => null))?.length ?? 0;
    if (u.pathname === "/api/v1/state")
      state.push({ url: u.search, decoded: body, wire: sizes?.responseBodySize ?? 0 });
    if (r.resourceType() === "document") html = body;
  });
  const t = performance.now();
  await page.goto(`${app.url}/?refresh=60000`, { waitUntil: "commit" });
  await page.locator("tr[data-project]").first().waitFor({ timeout: 60_000 });
  const visible = performance.now() - t;
  await page.waitForTimeout(SETTLE);
  const rows = Number(await page.getByTestId("health-matrix").getAttribute("data-rows"));
  const first = await page.locator("tr[data-project]").first().getAttribute("data-project");
  await ctx.close();
  return { visible, state, html, rows, first };
}

async function baseline(browser: Browser) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  const t = performance.now();
  await page.goto(`${app.url}/sign-in`, { waitUntil: "commit" });
  await page.getByRole("heading", { level: 1 }).first().waitFor({ timeout: 60_000 });
  const ms = performance.now() - t;
  await ctx.close();
  return ms;
}

try {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    await visit(browser); // unmeasured: the server's first render of the page
    await baseline(browser);
    const visits = [];
    const bases = [];
    for (let i = 0; i < REPS; i++) {
      visits.push(await visit(browser));
      bases.push(await baseline(browser));
    }
    const v = visits[Math.floor(visits.length / 2)]!;
    const sum = (k: "decoded" | "wire") => v.state.reduce((a, s) => a + s[k], 0);
    const out: [string, string | number][] = [
      [`/api/v1/state requests within ${SETTLE / 1000} s of the first row (${N} projects)`, v.state.length],
      ["  their bytes, decoded (KB)", kb(sum("decoded"))],
      ["  their bytes on the wire (KB)", kb(sum("wire"))],
      ["  the requests", v.state.map((s) => s.url.slice(0, 60)).join(" | ")],
      ["HTML document, decoded (KB)", kb(v.html)],
      ["matrix rows held by the page after that", v.rows],
      ["first row", v.first ?? ""],
      [`first row visible (ms, median of ${REPS})`, Math.round(median(visits.map((x) => x.visible)))],
      [`/sign-in heading visible, same run (ms, median of ${REPS})`, Math.round(median(bases))],
    ];
    for (const [k, x] of out) console.log(`${k}: ${x}`);
  } finally {
    await browser.close();
  }
} finally {
  await app.stop();
}
