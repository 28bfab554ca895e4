// Docker slow for real: the private dockerd is frozen with SIGSTOP (it accepts connections
// but answers nothing), so every call runs into the collector's timeout; SIGCONT thaws it.
// The poll starts only once every dockerd thread is stopped: a CI run polled right after the
// signal, while some threads were still running, and got an answer.
import { afterAll, beforeAll, expect, test } from "vitest";
import { Fleet } from "../support/fleet";
import { makeHarness, type Harness } from "../support/harness";
import { ensureStubImage, startPrivateDockerd, type PrivateDockerd } from "../../lib/dev/private-dockerd";

let daemon: PrivateDockerd;
let h: Harness;
let fleet: Fleet;

beforeAll(async () => {
  daemon = await startPrivateDockerd();
  await ensureStubImage(daemon.socketPath);
  fleet = new Fleet(daemon.socketPath);
  h = await makeHarness({
    dockerHost: daemon.dockerHost,
    selector: fleet.selector,
    env: { L9_DOCKER_TIMEOUT_MS: "800" },
  });
});

afterAll(async () => {
  try {
    daemon.thaw();
  } catch {
    /* gone */
  }
  await h?.close();
  await daemon?.stop();
});

test("a Docker that does not answer gives docker_unavailable with a timeout, keeps history, and recovers", async () => {
  await fleet.run({ project: "alpha", port: 48101, phase1: true });
  h.writeRegistry({ alpha: 48101 });
  const ok = await h.collector.pollOnce();
  expect(ok.projects[0]?.health).toBe("consistent");
  const pollsBefore = await h.db.poll.count();

  await daemon.freeze();
  let slow;
  let stayedFrozen;
  try {
    slow = await h.collector.pollOnce();
    stayedFrozen = daemon.frozen();
  } finally {
    daemon.thaw();
  }
  expect(stayedFrozen, "dockerd was woken during the poll").toBe(true);
  expect(slow.docker.reachable).toBe(false);
  expect(slow.docker.error).toMatch(/did not answer within 800 ms/);
  expect(slow.projects.map((p) => p.health)).toEqual(["unknown"]);
  const row = await h.db.poll.findFirst({ orderBy: { id: "desc" } });
  expect(row?.dockerError).toMatch(/^timeout:/);
  expect(await h.db.poll.count()).toBe(pollsBefore + 1);

  const back = await h.collector.pollOnce();
  expect(back.docker.reachable).toBe(true);
  expect(back.projects[0]?.health).toBe("consistent");
});
