// npm run sim -- --scenario phase0-baseline [--url http://127.0.0.1:3000] [--registry PATH]
//   [--seed 1] [--tick-ms 1000] [--ticks N] [--force] [--keep] [--list]
// Runs a simulated L9 fleet on the Docker daemon at DOCKER_HOST, pushing to the app's ingest
// routes. It only touches containers it created, and refuses a daemon holding com.l9.managed
// containers it did not create unless --force.
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Docker from "dockerode";
import { dockerOptionsFromHost } from "../lib/docker/client";
import { ensureStubImage } from "../lib/dev/private-dockerd";
import { SimFleet } from "../lib/sim/fleet";
import { makeRng } from "../lib/sim/rng";
import { SCENARIOS, findScenario } from "../lib/sim/scenarios";
import { parseEnv } from "../lib/env";

const cfg = parseEnv();

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "phase0-baseline" },
    url: { type: "string", default: "http://127.0.0.1:3000" },
    registry: { type: "string", default: path.join(os.tmpdir(), "l9-sim", "project_registry.json") },
    seed: { type: "string", default: "1" },
    "tick-ms": { type: "string", default: "1000" },
    ticks: { type: "string", default: "0" },
    "run-id": { type: "string" },
    token: { type: "string", default: cfg.ingestTokens[0]?.token ?? "" },
    force: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    list: { type: "boolean", default: false },
  },
});

if (values.list) {
  for (const s of SCENARIOS) console.log(`${s.name.padEnd(18)} ${s.description}`);
  process.exit(0);
}

const scenario = findScenario(values.scenario);
const dockerOptions = dockerOptionsFromHost(cfg.dockerHost);
const docker = new Docker(dockerOptions);
const foreign = await SimFleet.foreignContainers(docker);
if (foreign > 0 && !values.force) {
  console.error(
    `This Docker daemon holds ${foreign} com.l9.managed container(s) the simulator did not create. Refusing to run next to a real fleet; pass --force to run anyway (it still touches only its own containers).`,
  );
  process.exit(2);
}
await ensureStubImage(dockerOptions.socketPath ?? "/var/run/docker.sock");
const fleet = new SimFleet({
  docker,
  registryPath: values.registry,
  ingestUrl: values.url,
  token: values.token || undefined,
  phase: scenario.phase,
  instances: scenario.instances,
  maxIndexers: scenario.maxIndexers,
  upstream: scenario.upstream,
  branch: scenario.branch,
  runId: values["run-id"],
  log: (l) => console.log(l),
});
const rng = makeRng(Number(values.seed));
console.log(`[sim] scenario ${scenario.name} (run ${fleet.runId}): ${scenario.description}`);
console.log(`[sim] selector for the app: L9_LABEL_SELECTOR=${fleet.selector}  registry: ${values.registry}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  if (!values.keep) {
    await fleet.cleanup();
    console.log("[sim] removed the simulator's containers");
  }
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

await scenario.setup(fleet, rng);
console.log("[sim] setup done; drifting…");
const maxTicks = Number(values.ticks);
for (let n = 0; !stopping && (maxTicks === 0 || n < maxTicks); n++) {
  await new Promise((r) => setTimeout(r, Number(values["tick-ms"])));
  if (stopping) break;
  try {
    await scenario.tick(fleet, rng, n);
  } catch (err) {
    console.error(`[sim] tick failed: ${(err as Error).message}`);
  }
}
await stop();
