// Stopping a private daemon leaves nothing behind: no dockerd, containerd or shim, no
// container process, no mount, no folder. (A leak once kept 1,000 shims alive for 38 minutes.)
import fs from "node:fs";
import { expect, test } from "vitest";
import Docker from "dockerode";
import {
  STUB_IMAGE,
  ensureStubImage,
  mountsUnder,
  processesUnder,
  startPrivateDockerd,
} from "../../lib/dev/private-dockerd";

test("a private daemon with running containers stops without leaving a process, mount or folder", async () => {
  const d = await startPrivateDockerd();
  await ensureStubImage(d.socketPath);
  const docker = new Docker({ socketPath: d.socketPath });
  const pids: number[] = [];
  for (let i = 0; i < 3; i++) {
    const c = await docker.createContainer({
      Image: STUB_IMAGE,
      Cmd: ["/bin/sleep", "3600"],
      HostConfig: { NetworkMode: "none" },
    });
    await c.start();
    pids.push((await c.inspect()).State.Pid);
  }
  expect(processesUnder(d.dir).length).toBeGreaterThan(1); // dockerd, containerd, shims
  expect(mountsUnder(d.dir).length).toBeGreaterThan(0);
  await d.stop();
  expect(processesUnder(d.dir)).toEqual([]);
  expect(mountsUnder(d.dir)).toEqual([]);
  expect(fs.existsSync(d.dir)).toBe(false);
  for (const pid of pids) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
}, 120_000);
