// npm start: validate configuration, build when no current production build exists, apply
// migrations, then serve on HOSTNAME:PORT (127.0.0.1:3000 by default).
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "./schema-engine.mjs";
import { ensureBuild } from "./ensure-build.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function run(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...extraEnv } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// 1. Configuration fails fast, naming the bad variable.
run(bin("tsx"), ["scripts/check-env.ts"]);

// 2. Build when the sources changed since the last build (or there is none).
ensureBuild({ force: process.env.L9_FORCE_BUILD === "1" });

// 3. Migrations, offline, through Prisma's schema engine.
const url = process.env.DATABASE_URL || "file:./data/l9-state.db";
const applied = await applyMigrations(url);
console.log(applied.length ? `[start] applied migrations: ${applied.join(", ")}` : "[start] database is up to date");

// 4. Serve.
const port = process.env.PORT || "3000";
const host = process.env.HOSTNAME || "127.0.0.1";
const server = spawn(process.execPath, [path.join(root, "scripts", "server.mjs")], { stdio: "inherit", env: { ...process.env, PORT: port, HOSTNAME: host, NODE_ENV: "production" } });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
