// A simulator scenario wired to a collector harness: the fleet's ingest bodies go through the
// same schemas and store functions as the HTTP routes (the e2e tests cover HTTP itself).
import Docker from "dockerode";
import { SimFleet } from "../../lib/sim/fleet";
import { makeRng } from "../../lib/sim/rng";
import { findScenario } from "../../lib/sim/scenarios";
import { activeIndexersSnapshotSchema, readEventsBatchSchema } from "../../lib/contracts/ingest";
import { recordReadEvents } from "../../lib/store/instances";
import { makeHarness } from "./harness";

export async function setupScenario(
  socket: string,
  name: string,
  env: Record<string, string> = {},
  seed = 7,
  now?: () => Date,
) {
  const scenario = findScenario(name);
  const docker = new Docker({ socketPath: socket });
  const probe = new SimFleet({
    docker,
    registryPath: "/dev/null",
    ingestUrl: null,
    phase: scenario.phase,
    instances: 0,
  });
  const h = await makeHarness({ dockerHost: `unix://${socket}`, selector: probe.selector, env, now });
  const deliver = async (path: string, body: unknown) => {
    if (path.endsWith("active-indexers"))
      await h.collector.ingestSnapshot(activeIndexersSnapshotSchema.parse(body), "push");
    else {
      const b = readEventsBatchSchema.parse(body);
      await recordReadEvents(
        h.db,
        b.events.map((e) => ({
          instanceId: b.instance_id,
          at: e.at,
          project: e.project,
          servedBy: e.served_by,
          dockerOk: e.docker_ok,
          latencyMs: e.latency_ms ?? null,
        })),
      );
    }
  };
  const fleet = new SimFleet({
    docker,
    registryPath: h.registryPath,
    ingestUrl: null,
    deliver,
    phase: scenario.phase,
    instances: scenario.instances,
    maxIndexers: scenario.maxIndexers,
    upstream: scenario.upstream,
    branch: scenario.branch,
    runId: probe.runId,
  });
  await scenario.setup(fleet, makeRng(seed));
  return { scenario, fleet, h };
}
