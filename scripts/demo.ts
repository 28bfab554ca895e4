// npm run demo [-- --scenario crash-and-recover --port 3000 --backfill 7d|0]
// One command: a private Docker daemon when it can (root and dockerd present), else the local
// one with the simulator's guard; the app on a separate demo database, watching only the
// simulator's containers; a drifting scenario. Ctrl-C stops everything it started.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import Docker from "dockerode";
import {
  ensureStubImage,
  privateDockerdMissing,
  startPrivateDockerd,
  type PrivateDockerd,
} from "../lib/dev/private-dockerd";
import { dockerOptionsFromHost } from "../lib/docker/client";
import { SimFleet } from "../lib/sim/fleet";
import { makeRng } from "../lib/sim/rng";
import { SCENARIOS, findScenario } from "../lib/sim/scenarios";
import { applyMigrations } from "./schema-engine.mjs";
import { ensureBuild } from "./ensure-build.mjs";
import { backfill } from "../lib/sim/backfill";
import { closeDb, getDb } from "../lib/db";
import { parseDuration } from "../lib/core/time";
import { parseEnv } from "../lib/env";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "phase0-baseline" },
    port: { type: "string", default: String(parseEnv().port) },
    seed: { type: "string", default: "1" },
    "tick-ms": { type: "string", default: "1000" },
    force: { type: "boolean", default: false },
    backfill: { type: "string", default: "7d" },
  },
});
const scenario = findScenario(values.scenario);
const root = path.resolve(import.meta.dirname, "..");
const demoDir = path.join(root, "data", "demo");
fs.rmSync(demoDir, { recursive: true, force: true });
fs.mkdirSync(demoDir, { recursive: true });

let daemon: PrivateDockerd | null = null;
let dockerHost = parseEnv().dockerHost;
if (!privateDockerdMissing()) {
  console.log("[demo] starting a private Docker daemon…");
  daemon = await startPrivateDockerd();
  dockerHost = daemon.dockerHost;
} else {
  console.log(`[demo] no private daemon (${privateDockerdMissing()}); using ${dockerHost}`);
}
const socketPath = dockerOptionsFromHost(dockerHost).socketPath as string | undefined;
const docker = new Docker(dockerOptionsFromHost(dockerHost));
if (!daemon && (await SimFleet.foreignContainers(docker)) > 0 && !values.force) {
  console.error(
    "[demo] this Docker daemon holds com.l9.managed containers the simulator did not create; pass --force to run beside them",
  );
  process.exit(2);
}
if (socketPath) await ensureStubImage(socketPath);

ensureBuild();
const databaseUrl = `file:${path.join(demoDir, "demo.db")}`;
await applyMigrations(databaseUrl);
const backfillMs = values.backfill === "0" ? 0 : (parseDuration(values.backfill) ?? 0);
if (backfillMs > 0) {
  console.log(`[demo] backfilling ${values.backfill} of simulated history (marked simulated)…`);
  const db = getDb(databaseUrl);
  await backfill(db, { days: backfillMs / 86400_000, log: (l) => console.log(l) });
  await closeDb(databaseUrl);
}
const url = `http://127.0.0.1:${values.port}`;
const fleet = new SimFleet({
  docker,
  registryPath: path.join(demoDir, "project_registry.json"),
  ingestUrl: url,
  phase: scenario.phase,
  instances: scenario.instances,
  maxIndexers: scenario.maxIndexers,
  upstream: scenario.upstream,
  branch: scenario.branch,
  log: (l) => console.log(l),
});
const server = spawn(process.execPath, [path.join(root, "scripts", "server.mjs")], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: values.port,
    HOSTNAME: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    DOCKER_HOST: dockerHost,
    L9_LABEL_SELECTOR: fleet.selector,
    L9_REGISTRY_PATH: fleet.registry.file,
    L9_POLL_INTERVAL_MS: "2000",
    L9_SIMULATED: "1",
    L9_INGEST_TOKEN: "",
  },
});
for (
  let i = 0;
  i < 100 &&
  !(await fetch(`${url}/api/v1/health`).then(
    () => true,
    () => false,
  ));
  i++
)
  await new Promise((r) => setTimeout(r, 200));

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log("\n[demo] stopping: removing the simulator's containers, the app and the private daemon…");
  await fleet.cleanup().catch(() => undefined);
  server.kill("SIGTERM");
  await daemon?.stop();
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
server.on("exit", () => void stop(1));

const rng = makeRng(Number(values.seed));
await scenario.setup(fleet, rng);
console.log(`\n[demo] scenario ${scenario.name}: ${scenario.description}`);
console.log(
  `[demo] other scenarios: ${SCENARIOS.map((s) => s.name).join(", ")} (npm run demo -- --scenario NAME)`,
);
console.log(`[demo] dashboard: ${url}   (Ctrl-C stops everything)\n`);
for (let n = 0; !stopping; n++) {
  await new Promise((r) => setTimeout(r, Number(values["tick-ms"])));
  if (stopping) break;
  await scenario
    .tick(fleet, rng, n)
    .catch((err: Error) => console.error(`[demo] tick failed: ${err.message}`));
}
