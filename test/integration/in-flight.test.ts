// Issue 25 item 3 on the real private daemon: a container stopped after the orchestrator's
// snapshot is in flight in that poll (shown, not counted), and counted once the orchestrator
// sends a snapshot taken after the stop. The stop reaches the collector as Docker's own event.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { Fleet } from "../support/fleet";
import { makeHarness, type Harness } from "../support/harness";
import type { ApiState } from "../../lib/contracts/state";

let fleet: Fleet;
let h: Harness;
let id = "";
let beta = "";
const INST = "active_indexers:mcp-flight";

const snapshot = (takenAt: Date) =>
  h.collector.ingestSnapshot(
    {
      instance_id: "mcp-flight",
      started_at: new Date(Date.now() - 3600_000),
      taken_at: takenAt,
      indexers: {
        alpha: { container_id: id.slice(0, 12), port: 48121 },
        ...(beta ? { beta: { container_id: beta.slice(0, 12), port: 48122 } } : {}),
      },
    },
    "push",
  );
const checkOf = (s: ApiState, project: string) =>
  s.projects.find((p) => p.project === project)?.checks.find((c) => c.source === INST);
const alphaCheck = (s: ApiState) => checkOf(s, "alpha");

beforeAll(async () => {
  const socket = inject("dockerSocket");
  fleet = new Fleet(socket);
  h = await makeHarness({ dockerHost: `unix://${socket}`, selector: fleet.selector });
  id = await fleet.run({ project: "alpha", port: 48121, phase1: true });
  h.collector.start();
});

afterAll(async () => {
  await h?.close();
  await fleet?.cleanup();
});

test("stopped after the snapshot: in flight, not counted; counted after the next snapshot", async () => {
  await expect.poll(() => h.collector.eventsStreaming(), { timeout: 30_000 }).toBe(true);
  await snapshot(new Date());
  const first = await h.collector.pollOnce();
  expect(alphaCheck(first)).toMatchObject({ status: "consistent" });
  expect(first.summary).toMatchObject({ diverged: 0, in_flight: 0 });

  await fleet.stop(id);
  // Docker's stop/die events reach the ring by the stream: wait for the poll that sees them.
  await expect
    .poll(async () => alphaCheck(await h.collector.pollOnce())?.in_flight, { timeout: 30_000 })
    .toBe(true);
  const during = h.collector.latestState()!;
  const alpha = during.projects.find((p) => p.project === "alpha")!;
  expect(alphaCheck(during)).toMatchObject({ status: "diverged", in_flight: true });
  expect(alphaCheck(during)!.findings.map((f) => [f.kind, f.in_flight])).toEqual([["not_running", true]]);
  expect(alpha.health).toBe("consistent");
  expect(during.summary).toMatchObject({ checks: 1, diverged: 0, in_flight: 1, divergence_rate: 0 });
  // The poll record counts it apart, and no episode opened for it.
  const row = await h.db.poll.findFirst({ where: { id: during.poll_id! } });
  expect(row).toMatchObject({ diverged: 0, inFlight: 1 });
  expect(await h.db.findingEpisode.count({ where: { project: "alpha" } })).toBe(0);

  // The orchestrator's next snapshot, taken after the stop, still holds alpha: it counts.
  await snapshot(new Date());
  const after = await h.collector.pollOnce();
  expect(alphaCheck(after)).toMatchObject({ status: "diverged" });
  expect(alphaCheck(after)!.in_flight).toBeUndefined();
  expect(after.projects.find((p) => p.project === "alpha")!.health).toBe("diverged");
  expect(after.summary).toMatchObject({ diverged: 1, in_flight: 0 });
  const row2 = await h.db.poll.findFirst({ where: { id: after.poll_id! } });
  expect(row2).toMatchObject({ diverged: 1, inFlight: 0 });
  expect(await h.db.findingEpisode.count({ where: { project: "alpha", kind: "not_running" } })).toBe(1);
});

test("when the event stream goes down nothing is in flight", async () => {
  beta = await fleet.run({ project: "beta", port: 48122, phase1: true });
  await snapshot(new Date());
  await fleet.stop(beta);
  await expect
    .poll(async () => checkOf(await h.collector.pollOnce(), "beta")?.in_flight, { timeout: 30_000 })
    .toBe(true);
  // The same events are still in the ring, but the stream is down: they say nothing now.
  await h.collector.stop();
  expect(h.collector.eventsStreaming()).toBe(false);
  const s = await h.collector.pollOnce();
  expect(checkOf(s, "beta")).toMatchObject({ status: "diverged" });
  expect(checkOf(s, "beta")?.in_flight).toBeUndefined();
  expect(s.summary).toMatchObject({ diverged: 2, in_flight: 0 });
});
