// npm start: validate configuration, build when no current production build exists, apply
// migrations, then serve on HOSTNAME:PORT (127.0.0.1:3000 by default). A second `npm start`
// in the same checkout may serve the same build beside the first, but never rebuilds it
// under a running server: it refuses with the pid to stop instead.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, parseEnv, redactUrl, type Env } from "../lib/env";
import { applyMigrations } from "./schema-engine.mjs";
import { buildIsCurrent, ensureBuild } from "./ensure-build.mjs";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";
const servingFile = path.join(root, ".l9-serving.json");

// 1. Configuration fails fast, naming the bad variable.
let cfg: Env;
try {
  cfg = parseEnv();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(2);
}
console.log(
  cfg.role === "server"
    ? `[start] team server for ${cfg.server.agentTokens.length} agent token(s), database ${redactUrl(cfg.databaseUrl)}`
    : `[start] ${cfg.role === "agent" ? `agent ${cfg.agent.hostName} -> ${cfg.agent.serverUrl}, ` : ""}` +
        `Docker ${cfg.dockerHost}, registry ${cfg.registryPath}, ` +
        `database ${redactUrl(cfg.databaseUrl)}, poll every ${cfg.pollIntervalMs} ms`,
);

/** The pids of servers started from this checkout that are still alive. */
function liveServers(): number[] {
  let pids: unknown;
  try {
    pids = JSON.parse(fs.readFileSync(servingFile, "utf8"));
  } catch {
    return [];
  }
  if (!Array.isArray(pids)) return [];
  return pids.filter((p): p is number => Number.isInteger(p) && p !== process.pid && alive(p));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function register(add: number | null, remove: number | null): void {
  const pids = new Set(liveServers());
  if (add !== null) pids.add(add);
  if (remove !== null) pids.delete(remove);
  fs.writeFileSync(servingFile, JSON.stringify([...pids]));
}

// 2. Build when the sources changed since the last build (or there is none), unless a
// running server uses the build we would replace.
const force = process.env.L9_FORCE_BUILD === "1";
if (!buildIsCurrent() || force) {
  const running = liveServers();
  if (running.length > 0) {
    console.error(
      `[start] the sources changed since the build that npm start (pid ${running.join(", ")}) ` +
        "is serving; rebuilding now would replace it under that server. Stop it first, then " +
        "run npm start again.",
    );
    process.exit(3);
  }
  ensureBuild({ force });
}

// 3. Migrations, offline, through Prisma's schema engine.
const applied = await applyMigrations(cfg.databaseUrl);
console.log(
  applied.length ? `[start] applied migrations: ${applied.join(", ")}` : "[start] database is up to date",
);

// 4. Serve.
const server = spawn(process.execPath, [path.join(root, "scripts", "server.mjs")], {
  stdio: "inherit",
  env: { ...process.env, PORT: String(cfg.port), HOSTNAME: cfg.hostname, NODE_ENV: "production" },
});
register(process.pid, null);
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => server.kill(sig));
server.on("exit", (code, signal) => {
  register(null, process.pid);
  process.exit(code ?? (signal ? 0 : 1));
});
