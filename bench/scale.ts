// npm run bench:scale - one team server on PostgreSQL with many agents (issue 14):
//  - 20 agents (BENCH_AGENTS) of 100 projects each (BENCH_PROJECTS) deliver a poll every 5 s
//    (BENCH_INTERVAL_MS) for BENCH_SCALE_SECONDS over real HTTP to the production build:
//    server CPU per delivered poll (from /proc), p50/p95 ingest latency against the same
//    server's /api/v1/health latency measured in the same run;
//  - the overview's matrix with all 2,000 rows in Chromium, against /sign-in in the same run;
//  - 30-day queries (overview windows, 30-day series, 28-day phase evaluation) p50/p95 over
//    30 days of seeded polls for every host (BENCH_SEED_STEP_S apart: 5 s is the real volume).
// BENCH_STATE=hash (default; issue 26) sends the state in full once, then its hash and head as
// the real agent does while nothing changes; BENCH_STATE=full every time (an older agent).
// BENCH_SKIP_BROWSER=1 skips the Chromium row.
// The agents here are simulated senders of the real contract (20 real collectors would need
// 2,000 containers); the real agent is tested end to end in e2e/hosts.spec.ts.
import fs from "node:fs";
import pg from "pg";
import { chromium } from "@playwright/test";
import { startApp } from "../e2e/support/app";
import { startPrivatePostgres } from "../lib/dev/private-postgres";
import { CHROMIUM_ARGS } from "../lib/chromium-args";
import type { AgentBatch, AgentPoll } from "../lib/contracts/agent";
import type { ApiProject, ApiState } from "../lib/contracts/state";
import { stateDigest, stateHead } from "../lib/agent/state-digest";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 20);
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 100);
const INTERVAL = Number(process.env.BENCH_INTERVAL_MS ?? 5000);
const SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 120);
const SEED_STEP_S = Number(process.env.BENCH_SEED_STEP_S ?? 5);
const SEED_DAYS = Number(process.env.BENCH_SEED_DAYS ?? 30);
const QUERY_REPS = Number(process.env.BENCH_REPS ?? 11);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 15);
const STATE_MODE = process.env.BENCH_STATE === "full" ? "full" : "hash";
const TICK = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux

const hosts = Array.from({ length: AGENTS }, (_, i) => `dev-${String(i + 1).padStart(2, "0")}`);
const token = (h: string) => `${h}-bench-token-0123456789`;
const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]! : NaN;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const log = (m: string) => console.error(`[bench:scale] ${m}`);

function cpuMs(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICK; // utime + stime
}

function hostState(host: string, pollId: number, at: Date): ApiState {
  const projects: ApiProject[] = [];
  for (let i = 0; i < PROJECTS; i++) {
    const diverged = i % 50 === 7; // 2% of projects disagree
    const id = `${host.replace(/\D/g, "").padStart(4, "0")}${String(i).padStart(4, "0")}`.padEnd(64, "a");
    projects.push({
      project: `project-${String(i).padStart(3, "0")}`,
      health: diverged ? "diverged" : "consistent",
      docker_status: "consistent",
      containers: [
        {
          id,
          name: `indexer-${i}`,
          state: "running",
          port: 48000 + i,
          bound_port: 48000 + i,
          created: "2026-11-01T00:00:00.000Z",
          labels: { "com.l9.managed": "true", "com.l9.project": `project-${i}` },
        },
      ],
      checks: [
        {
          source: "container_registry",
          status: diverged ? "diverged" : "consistent",
          findings: diverged
            ? [{ kind: "port_mismatch", source: "container_registry", message: "registry says another port" }]
            : [],
        },
      ],
      findings: diverged
        ? [{ kind: "port_mismatch", source: "container_registry", message: "registry says another port" }]
        : [],
      sources: { container_registry: { container_id: null, port: 48000 + i + (diverged ? 1 : 0) } },
    } as ApiProject);
  }
  return {
    polled_at: at.toISOString(),
    poll_id: pollId,
    simulated: true,
    docker: {
      reachable: true,
      endpoint: "unix:///var/run/docker.sock",
      latency_ms: 4,
      error: null,
      last_ok_at: at.toISOString(),
    },
    sources: [{ id: "container_registry", kind: "registry_file", status: "ok", entries: PROJECTS }],
    summary: {
      checks: PROJECTS,
      diverged: PROJECTS / 50,
      divergence_rate: 0.02,
      diverged_acknowledged: 0,
      divergence_rate_acknowledged: 0.02,
      acknowledgements_in_force: 0,
      projects: PROJECTS,
      health: { consistent: PROJECTS - PROJECTS / 50, warning: 0, diverged: PROJECTS / 50, unknown: 0 },
    },
    projects,
    unassigned_containers: [],
    collector: { poll_interval_ms: INTERVAL, duration_ms: 20 },
  };
}

function poll(id: number, at: Date, state: ApiState | null): AgentPoll {
  const d = PROJECTS / 50;
  return {
    id,
    polled_at: at.toISOString(),
    docker_reachable: true,
    docker_latency_ms: 4,
    docker_error: null,
    duration_ms: 20,
    interval_ms: INTERVAL,
    checks: PROJECTS,
    diverged: d,
    diverged_ack: 0,
    projects: PROJECTS,
    kind_counts: { port_mismatch: d },
    seq: id,
    cum_checks: id * PROJECTS,
    cum_diverged: id * d,
    cum_diverged_ack: 0,
    cum_kinds: { port_mismatch: id * d },
    cum_covered_ms: (id - 1) * INTERVAL,
    cum_latency_ms: id * 4,
    simulated: true,
    new_containers: [],
    episodes_opened: [],
    episodes_closed: [],
    read_events: [],
    restarts: [],
    state,
  };
}

const server = await startPrivatePostgres();
const results: [string, string | number, string | number, string][] = [];
try {
  const url = await server.createDatabase("scale");
  const app = await startApp({
    DATABASE_URL: url,
    L9_ROLE: "server",
    L9_AGENT_TOKENS: hosts.map((h) => `${h}:${token(h)}`).join(","),
    L9_HOST_STALE_MS: String(Math.max(60_000, INTERVAL * 6)),
    L9_POLL_INTERVAL_MS: String(INTERVAL),
  });
  try {
    // 1. Seed 30 days of polls for every host, straight into PostgreSQL.
    const now = Date.now();
    const seedEnd = now - 2 * INTERVAL;
    const perHost = Math.floor((SEED_DAYS * 86400) / SEED_STEP_S);
    const t0 = performance.now();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const d = PROJECTS / 50;
    for (const h of hosts)
      await c.query(
        `INSERT INTO "Poll" ("host","id","polledAt","dockerReachable","dockerLatencyMs","dockerError","durationMs","intervalMs","checks","diverged","projects","kindCounts","seq","cumChecks","cumDiverged","divergedAck","cumDivergedAck","cumKinds","cumCoveredMs","cumLatencyMs","simulated")
         SELECT $1, g, to_timestamp(($2::float8 - ($3::int - g) * $4::float8 * 1000) / 1000) AT TIME ZONE 'UTC', true, 4, NULL, 20, $4::int * 1000,
                $5::int, $6::int, $5::int, '{"port_mismatch":' || $6 || '}', g, g * $5::int, g * $6::int, 0, 0, '{"port_mismatch":' || (g * $6::int) || '}', (g - 1) * $4::float8 * 1000, g * 4.0, true
           FROM generate_series(1, $3::int) g`,
        [h, seedEnd, perHost, SEED_STEP_S, PROJECTS, d],
      );
    await c.query("ANALYZE");
    const rows = AGENTS * perHost;
    const bytes = Number((await c.query("SELECT pg_database_size(current_database()) AS b")).rows[0].b);
    await c.end();
    log(
      `seeded ${rows} polls in ${Math.round(performance.now() - t0)} ms; database ${Math.round(bytes / 1e6)} MB`,
    );
    results.push([
      `seeded polls (${AGENTS} hosts x ${SEED_DAYS} days, ${SEED_STEP_S} s apart)`,
      rows,
      "—",
      "—",
    ]);
    results.push([
      "database size after seeding (MB)",
      Math.round(bytes / 1e6),
      "—",
      `${Math.round(bytes / rows)} B per poll`,
    ]);

    // 2. The agents deliver every INTERVAL, staggered; health is asked alongside (the baseline).
    const ingest: number[] = [];
    const slow: [number, number][] = [];
    let measuring = false;
    let start = performance.now();
    const health: number[] = [];
    let failed = 0;
    const ids = new Map(hosts.map((h) => [h, perHost]));
    const held = new Map<string, string>(); // host -> the state hash the server took in full
    const send = async (h: string) => {
      const id = ids.get(h)! + 1;
      ids.set(h, id);
      const at = new Date();
      const state = hostState(h, id, at);
      const hash = stateDigest(state);
      const unchanged = STATE_MODE === "hash" && held.get(h) === hash;
      const p = unchanged
        ? { ...poll(id, at, null), state_hash: hash, state_head: stateHead(state) }
        : { ...poll(id, at, state), ...(STATE_MODE === "hash" ? { state_hash: hash } : {}) };
      const body: AgentBatch = {
        host: h,
        agent_version: "bench",
        agent_id: 1,
        buffered: 0,
        dropped: 0,
        polls: [p],
      };
      const t = performance.now();
      const res = await fetch(`${app.url}/api/v1/agent/polls`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token(h)}` },
        body: JSON.stringify(body),
      });
      await res.text();
      if (!res.ok) failed++;
      else if (!unchanged && STATE_MODE === "hash") held.set(h, hash);
      if (measuring) ingest.push(performance.now() - t);
      if (process.env.BENCH_TRACE) slow.push([Math.round(t - start), Math.round(performance.now() - t)]);
    };
    // One unmeasured round so the route is compiled and every host known.
    for (const h of hosts) await send(h);
    // Warm-up at the real cadence, unmeasured: the server's first phase evaluation and first
    // notifier pass (seconds of 20-host queries) land here; WARMUP_S later the figures start.
    let cpu0 = 0;
    const warmup = setTimeout(() => {
      measuring = true;
      cpu0 = cpuMs(app.pid);
      start = performance.now();
    }, WARMUP_S * 1000);
    const timers: NodeJS.Timeout[] = [];
    const pending: Promise<void>[] = [];
    hosts.forEach((h, i) => {
      const fire = () => void pending.push(send(h));
      timers.push(
        setTimeout(
          () => {
            fire();
            timers.push(setInterval(fire, INTERVAL));
          },
          (i * INTERVAL) / AGENTS,
        ),
      );
    });
    const healthTimer = setInterval(() => {
      const t = performance.now();
      pending.push(
        fetch(`${app.url}/api/v1/health`)
          .then((r) => r.text())
          .then(() => void (measuring && health.push(performance.now() - t))),
      );
    }, 1000);
    await new Promise((r) => setTimeout(r, (WARMUP_S + SECONDS) * 1000));
    clearTimeout(warmup);
    measuring = false;
    for (const t of timers) clearInterval(t);
    clearInterval(healthTimer);
    await Promise.all(pending);
    const elapsed = performance.now() - start;
    if (process.env.BENCH_TRACE)
      log(
        `slowest deliveries [start ms, took ms]: ${JSON.stringify(slow.sort((a, b) => b[1] - a[1]).slice(0, 12))}`,
      );
    const cpu = cpuMs(app.pid) - cpu0;
    log(`${ingest.length} deliveries in ${Math.round(elapsed)} ms, ${failed} failed`);
    results.push([
      `deliveries (${AGENTS} agents x ${PROJECTS} projects, every ${INTERVAL / 1000} s, ${SECONDS} s, state: ${STATE_MODE})`,
      ingest.length,
      "—",
      `${failed} failed`,
    ]);
    results.push([
      "server CPU per delivered poll (ms)",
      r1(cpu / ingest.length),
      "—",
      `${r1((cpu / elapsed) * 100)}% of one core`,
    ]);
    const hp50 = q(health, 0.5);
    const hp95 = q(health, 0.95);
    results.push([
      "ingest latency p50 (ms)",
      r1(q(ingest, 0.5)),
      r1(hp50),
      `${(q(ingest, 0.5) / hp50).toFixed(1)}x`,
    ]);
    results.push([
      "ingest latency p95 (ms)",
      r1(q(ingest, 0.95)),
      r1(hp95),
      `${(q(ingest, 0.95) / hp95).toFixed(1)}x`,
    ]);

    // 3. 30-day queries over that volume.
    const timeGet = async (path: string) => {
      const xs: number[] = [];
      await fetch(`${app.url}${path}`).then((r) => r.text());
      for (let i = 0; i < QUERY_REPS; i++) {
        const t = performance.now();
        const r = await fetch(`${app.url}${path}`);
        await r.text();
        if (!r.ok) throw new Error(`${path}: ${r.status}\n${app.logs().slice(-4000)}`);
        xs.push(performance.now() - t);
      }
      return xs;
    };
    const base = await timeGet("/api/v1/health");
    const from = new Date(Date.now() - 30 * 86400_000).toISOString();
    for (const [name, path] of [
      ["overview windows (1 h, 24 h, 7 d) over all hosts", "/api/v1/overview"],
      ["30-day series over all hosts", `/api/v1/series?from=${from}`],
      ["30-day series, one host", `/api/v1/series?from=${from}&host=${hosts[0]}`],
      ["phase evaluation, 28-day window, all hosts", "/api/v1/phases?window=28d"],
      ["fleet state (2,000 projects)", "/api/v1/state"],
      ["hosts list", "/api/v1/hosts"],
    ] as const) {
      const xs = await timeGet(path);
      results.push([
        `${name}: p50 / p95 (ms)`,
        `${r1(q(xs, 0.5))} / ${r1(q(xs, 0.95))}`,
        `${r1(q(base, 0.5))} / ${r1(q(base, 0.95))}`,
        `${(q(xs, 0.95) / q(base, 0.95)).toFixed(1)}x at p95`,
      ]);
    }

    // 4. The matrix with every host's projects, in Chromium.
    if (process.env.BENCH_SKIP_BROWSER !== "1") {
      const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
      try {
        const total = AGENTS * PROJECTS;
        const visit = async (
          path: string,
          ready: (p: import("@playwright/test").Page) => Promise<unknown>,
        ) => {
          const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
          const page = await ctx.newPage();
          const t = performance.now();
          await page.goto(`${app.url}${path}`, { waitUntil: "commit" });
          await ready(page);
          const ms = performance.now() - t;
          await ctx.close();
          return ms;
        };
        const shown = (p: import("@playwright/test").Page) =>
          p.getByText(`${total} of ${total} projects`).waitFor({ timeout: 60_000 });
        const heading = (p: import("@playwright/test").Page) =>
          p.getByRole("heading", { level: 1 }).first().waitFor({ timeout: 60_000 });
        await visit("/", shown);
        await visit("/sign-in", heading);
        const m: number[] = [];
        const b: number[] = [];
        for (let i = 0; i < 5; i++) {
          b.push(await visit("/sign-in", heading));
          m.push(await visit("/", shown));
        }
        results.push([
          `matrix visible, ${total} rows from ${AGENTS} hosts (ms, median of 5)`,
          Math.round(q(m, 0.5)),
          Math.round(q(b, 0.5)),
          `${(q(m, 0.5) / q(b, 0.5)).toFixed(2)}x`,
        ]);
      } finally {
        await browser.close();
      }
    }
  } finally {
    await app.stop();
  }
} finally {
  await server.stop();
}
console.log("| measure | this run | same-run baseline | ratio / note |");
console.log("|---|---|---|---|");
for (const [k, v, b, n] of results) console.log(`| ${k} | ${v} | ${b} | ${n} |`);
