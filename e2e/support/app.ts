// Starts the real built app (scripts/server.mjs) on a free loopback port with its own
// migrated database (SQLite unless DATABASE_URL is given) and registry path, and stops it
// afterwards. startAgent runs `npm run agent`'s script the same way.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "../../scripts/schema-engine.mjs";

export type App = {
  url: string;
  /** the server process (benchmarks read its CPU time) */
  pid: number;
  dir: string;
  registryPath: string;
  databaseUrl: string;
  logs: () => string;
  stop: () => Promise<void>;
};

let lastStop = 0;
/**
 * When an app last began to stop (ms since the epoch). A page still open on it then fails to
 * fetch a lazy chunk (the charts load after the matrix); the page fixture lets that one error
 * through, and only after a stop.
 */
export const lastAppStop = () => lastStop;

/** A free TCP port on loopback (the tests start servers on it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * A child node process with the e2e defaults (production mode, 1 s polls), its output kept,
 * and a stop that ends it and removes `dir`.
 */
function spawnNode(args: string[], dir: string, env: Record<string, string>) {
  let out = "";
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      L9_POLL_INTERVAL_MS: "1000",
      L9_DOCKER_TIMEOUT_MS: "1500",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return {
    child,
    logs: () => out,
    stop: async () => {
      lastStop = Date.now();
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startApp(env: Record<string, string>): Promise<App> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-e2e-"));
  // Its own SQLite file, unless the test names a database (a PostgreSQL one, issue 14).
  const databaseUrl = env.DATABASE_URL ?? `file:${path.join(dir, "app.db")}`;
  const registryPath = path.join(dir, "project_registry.json");
  await applyMigrations(databaseUrl);
  const port = await freePort();
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (benchmarks).
  const prof = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const proc = spawnNode([...prof, "scripts/server.mjs"], dir, {
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    L9_REGISTRY_PATH: registryPath,
    ...env,
  });
  const { child } = proc;
  const out = () => proc.logs();
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited early:\n${out()}`);
    const ok = await fetch(`${url}/api/v1/health`).then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`app did not start:\n${out()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid ?? 0,
    dir,
    registryPath,
    databaseUrl,
    logs: proc.logs,
    stop: proc.stop,
  };
}

export type Agent = { host: string; registryPath: string; logs: () => string; stop: () => Promise<void> };

/** The headless agent (scripts/agent.ts) as `npm run agent` starts it, with its own SQLite. */
export async function startAgent(env: Record<string, string>): Promise<Agent> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-agent-"));
  const registryPath = path.join(dir, "project_registry.json");
  const proc = spawnNode(["--import", "tsx", "scripts/agent.ts"], dir, {
    DATABASE_URL: `file:${path.join(dir, "agent.db")}`,
    L9_REGISTRY_PATH: registryPath,
    ...env,
  });
  return {
    host: env.L9_HOST_NAME ?? "",
    registryPath,
    logs: proc.logs,
    stop: proc.stop,
  };
}
