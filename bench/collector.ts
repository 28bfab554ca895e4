// npm run bench:collector - collector cost, measured against baselines taken in the same run
// on a private dockerd (these machines are noisy; absolute times drift, ratios much less).
// Not a test: it prints a table for docs/benchmarks.md.
//   BENCH_SIZES=100,1000 (default)   BENCH_REPS=15   BENCH_SKIP_HTTP=1   BENCH_CORE_ONLY=1   BENCH_CORE_WARMUP=30
//   BENCH_DEEP_SIZE=1000 (the fleet for the storage, memory and browser rows; default 1000 if listed)
//   BENCH_MEMORY_POLLS=1000 (polls for the memory row; 0 skips it)
//   BENCH_BROWSER=1 (a container killed -> its matrix cell in Chromium)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import Database from "better-sqlite3";
import Docker from "dockerode";
import { ensureStubImage, startPrivateDockerd, STUB_IMAGE } from "../lib/dev/private-dockerd";
import { ReadOnlyDocker } from "../lib/docker/client";
import { Collector } from "../lib/collector/collector";
import { parseEnv } from "../lib/env";
import { closeDb, getDb } from "../lib/db";
import { computeDivergence, DivergenceMemo } from "../lib/core/divergence";
import { projectHash } from "../lib/core/paths";
import type { Container, Source } from "../lib/core/types";
import { getWindowFigures } from "../lib/store/window-figures";
import { applyMigrations } from "../scripts/schema-engine.mjs";

const SIZES = (process.env.BENCH_SIZES ?? "100,1000").split(",").map(Number);
const REPS = Number(process.env.BENCH_REPS ?? 15);
// The fleet size for the storage, memory and browser rows (1,000: the figures).
const DEEP_SIZE = Number(process.env.BENCH_DEEP_SIZE ?? (SIZES.includes(1000) ? 1000 : Math.max(...SIZES)));
const rows: string[][] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
const fmt = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const time = async (fn: () => Promise<unknown> | unknown) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const timeSync = (fn: () => unknown) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};
const row = (...cells: string[]) => {
  rows.push(cells);
  console.log(cells.join(" | "));
};

async function createFleet(docker: Docker, from: number, n: number, runId: string) {
  let next = from;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const project = `p${String(i).padStart(4, "0")}`;
      const port = 40000 + i;
      const p = `/home/dev/${project}`;
      const c = await docker.createContainer({
        Image: STUB_IMAGE,
        Cmd: ["/bin/sleep", "36000"],
        Labels: {
          "com.l9.managed": "true",
          "com.l9.bench": runId,
          "com.l9.project": project,
          "com.l9.created": "1",
          "com.l9.project_hash": projectHash(p),
          "com.l9.port": String(port),
          "com.l9.project_path": p,
        },
        HostConfig: { NetworkMode: "none", PortBindings: { "8080/tcp": [{ HostPort: String(port) }] } },
      });
      await c.start();
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

async function benchDocker() {
  const daemon = await startPrivateDockerd();
  try {
    await ensureStubImage(daemon.socketPath);
    const raw = new Docker({ socketPath: daemon.socketPath });
    let have = 0;
    for (const n of SIZES) {
      const runId = "bench";
      const t0 = Date.now();
      // Only the missing tail: projects p<have>..p<n-1> (one container each, unique names).
      await createFleet(raw, have, n, runId);
      have = n;
      console.error(`fleet of ${n}: ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-bench-"));
      const dbUrl = `file:${path.join(dir, "b.db")}`;
      await applyMigrations(dbUrl);
      const registry = path.join(dir, "registry.json");
      const ports: Record<string, number> = {};
      for (let i = 0; i < n; i++) ports[`p${String(i).padStart(4, "0")}`] = 40000 + i;
      fs.writeFileSync(registry, JSON.stringify({ container_ports: ports }));
      const cfg = parseEnv({
        DOCKER_HOST: daemon.dockerHost,
        L9_LABEL_SELECTOR: `com.l9.managed=true,com.l9.bench=${runId}`,
        L9_REGISTRY_PATH: registry,
        DATABASE_URL: dbUrl,
        L9_DOCKER_TIMEOUT_MS: "30000",
      });
      const client = new ReadOnlyDocker(cfg.dockerHost, 30_000);
      const collector = new Collector({ cfg, db: getDb(dbUrl), docker: client });
      await collector.ready();
      await collector.pollOnce(); // warm-up: fills the inspect cache, opens history
      await collector.pollOnce();
      const list: number[] = [];
      const poll: number[] = [];
      const observer: number[] = [];
      for (let r = 0; r < REPS; r++) {
        list.push(await time(() => client.listContainers(cfg.labelSelector)));
        poll.push(await time(() => collector.pollOnce()));
        if (n <= 100 || r < 3) {
          observer.push(
            await time(async () => {
              for (let i = 0; i < n; i++)
                await client.listContainers([
                  { key: "com.l9.project", value: `p${String(i).padStart(4, "0")}` },
                  { key: "com.l9.managed", value: "true" },
                ]);
            }),
          );
        }
      }
      const [l, p, o] = [median(list), median(poll), median(observer)];
      row(
        `full poll vs bare list, ${n} containers`,
        `${fmt(p)} ms vs ${fmt(l)} ms`,
        `${(p / l).toFixed(2)}x`,
        "≤ 1.3x",
        p / l <= 1.3 ? "met" : "NOT MET",
      );
      row(
        `observer sketch (one query per project) vs full poll, ${n}`,
        `${fmt(o)} ms vs ${fmt(p)} ms`,
        `${(o / p).toFixed(1)}x cheaper`,
        n === 100 ? "≥ 10x at 100" : "-",
        n === 100 ? (o / p >= 10 ? "met" : "NOT MET") : "-",
      );
      if (n === DEEP_SIZE) {
        await storageAndMemory(collector, dbUrl, n);
        if (process.env.BENCH_BROWSER === "1")
          await killToCell(raw, daemon.dockerHost, `com.l9.managed=true,com.l9.bench=${runId}`, registry, n);
      }
      await closeDb(dbUrl);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await daemon.stop();
  }
}

/**
 * Bytes the database grows by per steady-state poll (nothing changed: one summary row), after
 * a WAL checkpoint on each side; and the process's memory over many polls of the same fleet
 * (RSS and heap after a forced GC at the middle and at the end: growth between them is a leak).
 */
async function storageAndMemory(collector: Collector, dbUrl: string, n: number) {
  const file = dbUrl.replace(/^file:/, "");
  const checkpoint = () => {
    const db = new Database(file);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    return fs.statSync(file).size;
  };
  const steady = 200;
  const before = checkpoint();
  for (let i = 0; i < steady; i++) await collector.pollOnce();
  const perPoll = (checkpoint() - before) / steady;
  const perDay = perPoll * (86400 / 5);
  row(
    `database bytes per steady-state poll, ${n} containers (SQLite, after checkpoints)`,
    `${perPoll.toFixed(0)} B`,
    `${(1e9 / perDay).toFixed(0)} days of 5 s polls per GB`,
    "report",
    "-",
  );
  const polls = Number(process.env.BENCH_MEMORY_POLLS ?? 1000);
  if (!polls) return;
  const gc = (globalThis as { gc?: () => void }).gc;
  const sample = () => {
    gc?.();
    const m = process.memoryUsage();
    return { rss: m.rss / 1048576, heap: m.heapUsed / 1048576 };
  };
  let mid = sample();
  const t0 = Date.now();
  for (let i = 1; i <= polls; i++) {
    await collector.pollOnce();
    if (i === polls / 2) mid = sample();
    if (i % 100 === 0)
      console.error(`memory run: ${i}/${polls} polls, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  const end = sample();
  row(
    `server memory over ${polls} polls of ${n} containers${gc ? "" : " (no --expose-gc: heap figures noisy)"}`,
    `RSS ${mid.rss.toFixed(0)} → ${end.rss.toFixed(0)} MB, heap ${mid.heap.toFixed(1)} → ${end.heap.toFixed(1)} MB (poll ${polls / 2} → ${polls})`,
    `heap ${((end.heap / mid.heap - 1) * 100).toFixed(1)}%`,
    "no growth from poll 500 to 1,000",
    end.heap <= mid.heap * 1.05 ? "met" : "NOT MET",
  );
}

/**
 * A container killed behind the orchestrator's back -> its cell in Chromium changes. The
 * baseline in the same run: the same kill seen in /api/v1/state (the server alone).
 */
async function killToCell(raw: Docker, dockerHost: string, selector: string, registry: string, n: number) {
  const { startApp } = await import("../e2e/support/app");
  const { chromium } = await import("@playwright/test");
  const { CHROMIUM_ARGS } = await import("../lib/chromium-args");
  const app = await startApp({
    DOCKER_HOST: dockerHost,
    L9_LABEL_SELECTOR: selector,
    L9_POLL_INTERVAL_MS: "5000",
  });
  fs.copyFileSync(registry, app.registryPath);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const health = async (project: string) => {
    const s = (await (await fetch(`${app.url}/api/v1/state`)).json()) as {
      projects: { project: string; health: string }[];
    };
    return { count: s.projects.length, health: s.projects.find((p) => p.project === project)?.health };
  };
  try {
    for (let i = 0; i < 120 && (await health("p0000")).count < n; i++)
      await new Promise((r) => setTimeout(r, 1000));
    const ui: number[] = [];
    const api: number[] = [];
    for (let k = 0; k < 3; k++) {
      const project = `p${String((10 + k * 97) % n).padStart(4, "0")}`;
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(`${app.url}/?q=${project}`);
      await page
        .locator(`tr[data-project="${project}"][data-health="consistent"]`)
        .waitFor({ timeout: 60_000 });
      const [c] = await raw.listContainers({ filters: { label: [`com.l9.project=${project}`] } });
      const t = performance.now();
      await raw.getContainer(c!.Id).kill();
      const apiSeen = (async () => {
        // Every 250 ms: the state of 1,000 projects is ~0.5 MB, and asking for it faster loads
        // the server being measured (a run at 25 ms read 4.1 s for both figures).
        while ((await health(project)).health === "consistent") await new Promise((r) => setTimeout(r, 250));
        return performance.now() - t;
      })();
      await page
        .locator(`tr[data-project="${project}"]:not([data-health="consistent"])`)
        .waitFor({ timeout: 60_000 });
      ui.push(performance.now() - t);
      api.push(await apiSeen);
      console.log(`  kill ${project}: cell ${fmt(ui.at(-1)!)} ms, state ${fmt(api.at(-1)!)} ms`);
      await page.close();
    }
    row(
      `a container killed -> its matrix cell changes in Chromium, ${n} containers (median of 3)`,
      `${fmt(median(ui))} ms (the server's state shows it after ${fmt(median(api))} ms)`,
      `${(median(ui) / median(api)).toFixed(2)}x the server alone`,
      "≤ 2 s",
      median(ui) <= 2000 ? "met" : "NOT MET",
    );
  } finally {
    await browser.close();
    await app.stop();
  }
}

function benchCore() {
  const N = 10_000;
  const containers: Container[] = [];
  const reg = new Map<string, { containerId: string | null; port: number | null }>();
  const a = new Map<string, { containerId: string | null; port: number | null }>();
  const b = new Map<string, { containerId: string | null; port: number | null }>();
  for (let i = 0; i < N; i++) {
    const project = `p${i}`;
    const id = i.toString(16).padStart(64, "0");
    const p = `/home/dev/${project}`;
    containers.push({
      id,
      name: project,
      project,
      state: i % 50 === 0 ? "exited" : "running",
      createdMs: i,
      labels: {
        "com.l9.project": project,
        "com.l9.project_hash": projectHash(p),
        "com.l9.port": String(20000 + i),
        "com.l9.project_path": p,
      },
      port: 20000 + i,
      boundPort: 20000 + i,
    });
    reg.set(project, { containerId: null, port: i % 40 === 0 ? 1 + i : 20000 + i });
    if (i % 2 === 0) a.set(project, { containerId: id.slice(0, 12), port: 20000 + i });
    else b.set(project, { containerId: id, port: null });
  }
  const sources: Source[] = [
    { id: "container_registry", kind: "registry_file", status: "ok", entries: reg },
    { id: "active_indexers:a", kind: "active_indexers", status: "ok", entries: a },
    { id: "active_indexers:b", kind: "active_indexers", status: "ok", entries: b },
  ];
  const input = { docker: { reachable: true as const, containers }, sources };
  for (let i = 0; i < 3; i++) computeDivergence(input);
  const core: number[] = [];
  const base: number[] = [];
  for (let r = 0; r < REPS; r++) {
    core.push(timeSync(() => computeDivergence(input)));
    // Baseline: one pass that only groups containers and looks every entry up once.
    base.push(
      timeSync(() => {
        const byP = new Map<string, Container[]>();
        for (const c of containers) byP.set(c.project!, [...(byP.get(c.project!) ?? []), c]);
        let hits = 0;
        for (const s of sources) for (const k of s.entries.keys()) if (byP.has(k)) hits++;
        if (hits < 0) console.log(hits);
      }),
    );
  }
  // Floor: allocating just the output's check objects (one per check, each with a findings list).
  const floor: number[] = [];
  for (let r = 0; r < REPS; r++) {
    floor.push(
      timeSync(() => {
        const out: { source: string; project: string; status: string; findings: unknown[] }[] = [];
        for (let i = 0; i < N * 3; i++)
          out.push({ source: "s", project: "p", status: "consistent", findings: [] });
        if (out.length < 0) console.log(out);
      }),
    );
  }
  const c = median(core);
  row(
    `pure divergence core from scratch (first poll, or every source changed), ${N} projects x 3 sources`,
    `${fmt(c)} ms (grouping pass ${fmt(median(base))} ms; allocating the ${N * 3} output checks alone ${fmt(median(floor))} ms)`,
    `${(c / median(floor)).toFixed(1)}x the allocation floor`,
    "-",
    "-",
  );
  // What the collector pays per poll: the memo holds each project's last result and the Docker
  // adapter and sources hand out unchanged containers and entries as the same objects. Two
  // cases: nothing changed, and one container changed (a kill: a new object for it).
  const memo = new DivergenceMemo();
  computeDivergence(input, memo);
  const steady: number[] = [];
  const oneChanged: number[] = [];
  // V8 needs ~15 of these calls before the loop runs optimised (3-9 ms after, 20-130 ms before):
  // with 5 warm-up rounds and BENCH_REPS=7 the median fell in that phase (21-34 ms printed, the
  // same on the session-5 code). Warm-up is a fixed count now, reported beside the steady figure.
  const WARMUP = Number(process.env.BENCH_CORE_WARMUP ?? 30);
  let warm: number[] = [];
  for (let r = -WARMUP; r < REPS; r++) {
    if (r === 0) {
      warm = oneChanged.slice();
      steady.length = oneChanged.length = 0;
    }
    steady.push(timeSync(() => computeDivergence(input, memo)));
    const k = ((r + WARMUP) * 7919) % N;
    const changed = containers.slice();
    changed[k] = { ...containers[k]!, state: containers[k]!.state === "running" ? "exited" : "running" };
    const changedInput = { docker: { reachable: true as const, containers: changed }, sources };
    oneChanged.push(timeSync(() => computeDivergence(changedInput, memo)));
    computeDivergence(input, memo);
  }
  const st = median(steady);
  const oc = median(oneChanged);
  row(
    `pure divergence core per poll (memo), ${N} projects x 3 sources: nothing changed / one container changed`,
    `${fmt(st)} ms / ${fmt(oc)} ms`,
    `${(c / Math.max(st, oc)).toFixed(1)}x cheaper than from scratch`,
    "< 15 ms",
    Math.max(st, oc) < 15 ? "met" : "NOT MET",
  );
  row(
    `pure divergence core, one container changed, the first ${WARMUP} polls after start (JIT warm-up, not measured above)`,
    `median ${fmt(median(warm))} ms, first 10 ${fmt(median(warm.slice(0, 10)))} ms, max ${fmt(Math.max(...warm))} ms`,
    "-",
    "report",
    "-",
  );
}

// Prisma's SQLite adapter stores DateTime as ISO-8601 text with an explicit offset.
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

async function seedThirtyDays(dbFile: string, projects: number) {
  const db = new Database(dbFile);
  const now = Date.now();
  const step = 5000;
  const polls = (30 * 86400_000) / step;
  const start = now - polls * step;
  const insert = db.prepare(
    "INSERT INTO Poll (host, id, polledAt, dockerReachable, dockerLatencyMs, durationMs, intervalMs, checks, diverged, projects, kindCounts, seq, cumChecks, cumDiverged, cumKinds, cumCoveredMs, cumLatencyMs, simulated) VALUES ('', ?, ?, 1, 20, 25, 5000, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
  );
  const ep = db.prepare(
    "INSERT INTO FindingEpisode (project, source, kind, subject, openedAt, closedAt, lastSeenAt, detail, simulated) VALUES (?, 'container_registry', 'port_mismatch', '', ?, ?, ?, '{\"message\":\"seeded\"}', 1)",
  );
  const run = db.prepare(
    "INSERT INTO CheckRun (project, source, diverged, startSeq, endSeq) VALUES (?, 'container_registry', ?, ?, ?)",
  );
  db.transaction(() => {
    let cumC = 0;
    let cumD = 0;
    for (let i = 1; i <= polls; i++) {
      const checks = projects * 2;
      const diverged = i % 97 === 0 ? 3 : 1;
      cumC += checks;
      cumD += diverged;
      insert.run(
        i,
        iso(start + i * step),
        checks,
        diverged,
        projects,
        '{"port_mismatch":1}',
        i,
        cumC,
        cumD,
        JSON.stringify({ port_mismatch: cumD }),
        (i - 1) * step, // running totals: covered time and Docker latency (20 ms a poll)
        i * 20,
      );
    }
    // Each project flaps a few times a day: episodes and check runs grow with change.
    for (let p = 0; p < projects; p++) {
      let seq = 1;
      while (seq < polls) {
        const ok = 2000 + ((p * 7919 + seq) % 4000);
        const bad = 20 + ((p * 31 + seq) % 200);
        run.run(`p${p}`, 0, seq, Math.min(polls, seq + ok - 1));
        seq += ok;
        if (seq >= polls) break;
        const opened = start + seq * step;
        const closed = start + Math.min(polls, seq + bad) * step;
        ep.run(`p${p}`, iso(opened), iso(closed), iso(closed));
        run.run(`p${p}`, 1, seq, Math.min(polls, seq + bad - 1));
        seq += bad;
      }
    }
  })();
  const counts = {
    polls: (db.prepare("SELECT count(*) n FROM Poll").get() as { n: number }).n,
    episodes: (db.prepare("SELECT count(*) n FROM FindingEpisode").get() as { n: number }).n,
    runs: (db.prepare("SELECT count(*) n FROM CheckRun").get() as { n: number }).n,
  };
  db.close();
  return counts;
}

async function benchHistory() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-bench-hist-"));
  const dbFile = path.join(dir, "h.db");
  const dbUrl = `file:${dbFile}`;
  await applyMigrations(dbUrl);
  const t0 = Date.now();
  const counts = await seedThirtyDays(dbFile, 100);
  console.error(
    `seeded 30 days of 5 s polls in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`,
  );
  const db = getDb(dbUrl);
  const to = new Date();
  const from = new Date(to.getTime() - 30 * 86400_000);
  const win: number[] = [];
  for (let r = 0; r < 40; r++) win.push(await time(() => getWindowFigures(db, from, to)));
  row(
    `30-day window figures over ${counts.polls} polls (store call)`,
    `p50 ${fmt(median(win))} ms, p95 ${fmt(p95(win))} ms`,
    "-",
    "p95 < 100 ms",
    p95(win) < 100 ? "met" : "NOT MET",
  );
  await closeDb(dbUrl);

  if (process.env.BENCH_SKIP_HTTP === "1" || !fs.existsSync(".next/BUILD_ID")) {
    console.error(
      process.env.BENCH_SKIP_HTTP === "1"
        ? "skipping the HTTP part (BENCH_SKIP_HTTP=1)"
        : "skipping the HTTP part (no production build: run `node scripts/ensure-build.mjs` first)",
    );
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  const port = 3900 + Math.floor(Math.random() * 50);
  const child = spawn(process.execPath, ["scripts/server.mjs"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: dbUrl,
      DOCKER_HOST: "unix:///tmp/l9-bench-no-docker.sock",
      L9_REGISTRY_PATH: path.join(dir, "none.json"),
      L9_POLL_INTERVAL_MS: "600000",
      L9_DOCKER_TIMEOUT_MS: "200",
    },
    stdio: "ignore",
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 150; i++) {
      if (
        await fetch(`${url}/metrics`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await fetch(`${url}/api/v1/state`);
    const q = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
    const proj: number[] = [];
    const base: number[] = [];
    for (let r = 0; r < 60; r++) {
      base.push(await time(() => fetch(`${url}/metrics`).then((x) => x.text())));
      proj.push(await time(() => fetch(`${url}/api/v1/projects/p${r % 100}?${q}`).then((x) => x.json())));
    }
    row(
      "GET /api/v1/projects/{name}, 30-day range (HTTP)",
      `p50 ${fmt(median(proj))} ms, p95 ${fmt(p95(proj))} ms`,
      `${(median(proj) / median(base)).toFixed(1)}x GET /metrics (${fmt(median(base))} ms)`,
      "p95 < 100 ms",
      p95(proj) < 100 ? "met" : "NOT MET",
    );
  } finally {
    child.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

console.log("measure | measured | ratio | target | verdict");
benchCore();
if (process.env.BENCH_CORE_ONLY !== "1") await benchHistory();
if (process.env.BENCH_SKIP_DOCKER !== "1" && process.env.BENCH_CORE_ONLY !== "1") await benchDocker();
fs.mkdirSync("bench/out", { recursive: true });
fs.writeFileSync(
  "bench/out/collector.md",
  [
    "| measure | measured | ratio | target | verdict |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n") + "\n",
);
console.log("\nwritten: bench/out/collector.md");
