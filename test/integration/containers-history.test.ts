// The containers table: a container first seen created and then started was never stopped.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { Fleet } from "../support/fleet";
import { makeHarness, type Harness } from "../support/harness";
import { getProjectContainers } from "../../lib/store/history";

let fleet: Fleet;
let h: Harness;
beforeAll(async () => {
  const socket = inject("dockerSocket");
  fleet = new Fleet(socket);
  h = await makeHarness({ dockerHost: `unix://${socket}`, selector: fleet.selector });
});
afterAll(async () => {
  await h?.close();
  await fleet?.cleanup();
});

test("created, then running: no stopped time; then stopped: the time it stopped", async () => {
  const id = await fleet.run({ project: "alpha", port: 48101, phase1: true, start: false });
  await h.collector.pollOnce();
  await fleet.docker.getContainer(id).start();
  await h.collector.pollOnce();
  const range = [new Date(Date.now() - 3600_000), new Date(Date.now() + 60_000)] as const;
  let [c] = await getProjectContainers(h.db, "alpha", ...range);
  expect(c).toMatchObject({ state: "running", stopped_at: null });
  await fleet.stop(id);
  await h.collector.pollOnce();
  [c] = await getProjectContainers(h.db, "alpha", ...range);
  expect(c?.state).not.toBe("running");
  expect(c?.stopped_at).not.toBeNull();
});
