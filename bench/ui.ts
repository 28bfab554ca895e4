// npm run bench:ui - page budgets from the production build, in Debian's Chromium:
// first-load JavaScript per page (gzip bytes of the scripts a served page loads), and the
// time until the overview matrix shows 500 projects. Each figure is compared with the
// previous run's (docs/bench-ui.json), and the ratio printed: these machines are noisy.
import fs from "node:fs";
import zlib from "node:zlib";
import { chromium } from "@playwright/test";
import { startApp } from "../e2e/support/app";

const PREVIOUS = "docs/bench-ui.json";
const prev = fs.existsSync(PREVIOUS)
  ? (JSON.parse(fs.readFileSync(PREVIOUS, "utf8")) as Record<string, number>)
  : {};
const ports: Record<string, number> = {};
for (let i = 0; i < 500; i++) ports[`project-${String(i).padStart(3, "0")}`] = 40000 + i;

const app = await startApp({
  DOCKER_HOST: "unix:///tmp/l9-bench-ui-no-docker.sock",
  L9_POLL_INTERVAL_MS: "2000",
});
// No Docker here on purpose: 500 projects from the registry file alone, each "unknown".
fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: ports }));
const results: Record<string, number> = {};
try {
  for (let i = 0; i < 50; i++) {
    const s = (await (await fetch(`${app.url}/api/v1/state`)).json()) as { projects: unknown[] };
    if (s.projects.length === 500) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  for (const page of ["/", "/projects/project-001", "/sources", "/phases"]) {
    const html = await (await fetch(`${app.url}${page}`)).text();
    const srcs = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!))];
    let gz = 0;
    for (const src of srcs)
      gz += zlib.gzipSync(Buffer.from(await (await fetch(new URL(src, app.url))).arrayBuffer())).length;
    results[`first-load JS ${page} (KB gzip)`] = Math.round(gz / 102.4) / 10;
  }
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const t = Date.now();
    await page.goto(app.url);
    await page.locator("tr[data-project]").nth(499).waitFor({ timeout: 60_000 });
    times.push(Date.now() - t);
    await ctx.close();
  }
  await browser.close();
  times.sort((a, b) => a - b);
  results["overview matrix visible, 500 projects (ms, median of 5)"] = times[2]!;
} finally {
  await app.stop();
}
console.log("| measure | this run | previous run | ratio |\n|---|---|---|---|");
for (const [k, v] of Object.entries(results)) {
  const p = prev[k];
  console.log(`| ${k} | ${v} | ${p ?? "—"} | ${p ? (v / p).toFixed(2) + "x" : "—"} |`);
}
fs.writeFileSync(PREVIOUS, JSON.stringify(results, null, 2) + "\n");
