// Legacy sources for real: registry files written to disk (valid, torn mid-write, wrong
// types, missing, unreadable), and orchestrator instances going stale and restarting.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Fleet } from "../support/fleet";
import { makeHarness, type Harness } from "../support/harness";
import { readRegistry } from "../../lib/sources/registry";
import { DockerSource } from "../../lib/sources/docker";
import { ReadOnlyDocker } from "../../lib/docker/client";
import { parseEnv } from "../../lib/env";
import { allowConsoleError } from "../support/fail-on-console-error";

let fleet: Fleet;
let h: Harness;
let alpha: string;

beforeAll(async () => {
  const socket = inject("dockerSocket");
  fleet = new Fleet(socket);
  h = await makeHarness({
    dockerHost: `unix://${socket}`,
    selector: fleet.selector,
    env: { L9_INSTANCE_STALE_MS: "1500" },
  });
  alpha = await fleet.run({ project: "alpha", port: 48101, phase1: true });
});

afterAll(async () => {
  await h?.close();
  await fleet?.cleanup();
});

const registrySource = (s: Awaited<ReturnType<Harness["collector"]["pollOnce"]>>) =>
  s.sources.find((x) => x.id === "container_registry");

describe("container_registry file", () => {
  test("missing file: status missing, no registry checks", async () => {
    const s = await h.collector.pollOnce();
    expect(registrySource(s)).toMatchObject({ status: "missing" });
    expect(s.summary.checks).toBe(0);
  });

  test("valid file with string and number ports", async () => {
    h.writeRegistry({ alpha: "48101", gone: 48150 });
    const s = await h.collector.pollOnce();
    expect(registrySource(s)).toMatchObject({ status: "ok", entries: 2 });
    expect(s.projects.find((p) => p.project === "alpha")?.health).toBe("consistent");
    expect(s.projects.find((p) => p.project === "gone")?.findings.map((f) => f.kind)).toEqual([
      "missing_in_docker",
    ]);
  });

  test.each([
    [
      "torn mid-write",
      (file: string, good: string) => fs.writeFileSync(file, good.slice(0, Math.floor(good.length / 2))),
      /not valid JSON/,
    ],
    [
      "wrong type for a port",
      (file: string) => fs.writeFileSync(file, JSON.stringify({ container_ports: { alpha: "http" } })),
      /container_ports\.alpha/,
    ],
    [
      "container_ports is a list",
      (file: string) => fs.writeFileSync(file, JSON.stringify({ container_ports: [48101] })),
      /container_ports/,
    ],
    ["top level is not an object", (file: string) => fs.writeFileSync(file, "[]"), /wrong type/],
    ["empty file", (file: string) => fs.writeFileSync(file, ""), /not valid JSON/],
  ])(
    "%s: unreadable with the reason; open episodes and stored history stay",
    async (_name, breakIt, reason) => {
      h.writeRegistry({ alpha: 48101, gone: 48150 });
      await h.collector.pollOnce();
      const openBefore = await h.db.findingEpisode.findMany({
        where: { closedAt: null, source: "container_registry" },
      });
      const pollsBefore = await h.db.poll.count();
      breakIt(h.registryPath, fs.readFileSync(h.registryPath, "utf8"));
      const s = await h.collector.pollOnce();
      const src = registrySource(s);
      expect(src?.status).toBe("unreadable");
      expect(src?.error).toMatch(reason);
      expect(src?.last_good_at).not.toBeNull();
      expect(s.projects.flatMap((p) => p.checks).filter((c) => c.source === "container_registry")).toEqual(
        [],
      );
      const openAfter = await h.db.findingEpisode.findMany({
        where: { closedAt: null, source: "container_registry" },
      });
      expect(openAfter.map((e) => e.id)).toEqual(openBefore.map((e) => e.id));
      expect(await h.db.poll.count()).toBe(pollsBefore + 1);
    },
  );

  test("a directory where the file should be is unreadable", async () => {
    const dir = path.join(h.dir, "as-dir.json");
    fs.mkdirSync(dir);
    expect(await readRegistry(dir)).toMatchObject({ status: "unreadable" });
  });

  test("a file this user may not read is unreadable (permission)", () => {
    // Root reads any file: the child keeps root's uid (so it can load this checkout even when
    // only root may read it) but loses the capabilities that bypass file modes.
    const file = path.join(h.dir, "private.json");
    fs.writeFileSync(file, "{}", { mode: 0o600 });
    const asRoot = process.getuid?.() === 0;
    if (asRoot) fs.chownSync(file, 65534, 65534);
    else fs.chmodSync(file, 0o000);
    const registryModule = JSON.stringify(path.resolve("lib/sources/registry.ts"));
    const code = `import { readRegistry } from ${registryModule}; readRegistry(${JSON.stringify(file)}).then((r) => console.log(JSON.stringify(r)));`;
    const node = [process.execPath, "--import", "tsx", "--input-type=module", "-e", code];
    const [cmd, ...args] = asRoot
      ? ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", ...node]
      : node;
    const r = spawnSync(cmd!, args, { encoding: "utf8", cwd: process.cwd() });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "unreadable", kind: "permission" });
  });
});

describe("active_indexers instances", () => {
  test("a new started_at for a known instance is a restart", async () => {
    const snap = (startedAt: string) => ({
      instance_id: "mcp-r",
      started_at: new Date(startedAt),
      taken_at: new Date(),
      indexers: { alpha: { container_id: alpha.slice(0, 12), port: 48101 } },
    });
    expect((await h.collector.ingestSnapshot(snap("2025-09-24T09:00:00Z"), "push")).restart).toBeNull();
    const r = await h.collector.ingestSnapshot(snap("2025-09-24T10:00:00Z"), "push");
    expect(r.restart).toMatchObject({ reason: "new_started_at", previousInstanceId: "mcp-r" });
    const rows = await h.db.restart.findMany({ where: { instanceId: "mcp-r" } });
    expect(rows).toHaveLength(1);
    h.writeRegistry({ alpha: 48101 });
    await h.collector.pollOnce();
    const after = await h.db.restart.findFirst({ where: { instanceId: "mcp-r" } });
    expect(after?.recoveredAt).not.toBeNull();
  });

  test("an out-of-order older snapshot is ignored", async () => {
    const r = await h.collector.ingestSnapshot(
      {
        instance_id: "mcp-r",
        started_at: new Date("2025-09-24T10:00:00Z"),
        taken_at: new Date(Date.now() - 3600_000),
        indexers: {},
      },
      "push",
    );
    expect(r.ignored).toBe(true);
  });

  test("a silent instance goes stale and produces no checks; a new instance replacing it is a restart", async () => {
    await h.collector.ingestSnapshot(
      {
        instance_id: "mcp-old",
        started_at: new Date("2025-09-24T08:00:00Z"),
        taken_at: new Date(),
        indexers: { alpha: { container_id: alpha, port: 48101 } },
      },
      "push",
    );
    let s = await h.collector.pollOnce();
    expect(s.sources.find((x) => x.id === "active_indexers:mcp-old")?.status).toBe("ok");
    await new Promise((r) => setTimeout(r, 1800));
    await h.collector.ingestSnapshot(
      {
        instance_id: "mcp-new",
        started_at: new Date(),
        taken_at: new Date(),
        indexers: { alpha: { container_id: alpha, port: 48101 } },
      },
      "push",
    );
    s = await h.collector.pollOnce();
    expect(s.sources.find((x) => x.id === "active_indexers:mcp-old")?.status).toBe("stale");
    expect(s.projects.flatMap((p) => p.checks).some((c) => c.source === "active_indexers:mcp-old")).toBe(
      false,
    );
    const restart = await h.db.restart.findFirst({ where: { instanceId: "mcp-new" } });
    expect(restart).toMatchObject({ previousInstanceId: "mcp-old", reason: "replaced_stale" });
    expect(restart?.recoveredAt).not.toBeNull();
  });

  test("a database write failure leaves history unchanged and is logged", async () => {
    allowConsoleError();
    const before = await h.db.poll.count();
    await h.db.$executeRawUnsafe(
      "CREATE TRIGGER refuse_polls BEFORE INSERT ON Poll BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;",
    );
    try {
      const s = await h.collector.pollOnce();
      expect(s.poll_id).toBeNull();
    } finally {
      await h.db.$executeRawUnsafe("DROP TRIGGER refuse_polls");
    }
    expect(await h.db.poll.count()).toBe(before);
    const s2 = await h.collector.pollOnce();
    expect(s2.poll_id).not.toBeNull();
  });
});

describe("Docker adapter", () => {
  test("an unchanged list is the same objects (the divergence memo's rule); a killed container is a new one", async () => {
    const socket = inject("dockerSocket");
    const own = new Fleet(socket);
    try {
      const a = await own.run({ project: "keep", port: 48131, phase1: true });
      const b = await own.run({ project: "kill", port: 48132, phase1: true });
      const docker = new DockerSource(
        new ReadOnlyDocker(`unix://${socket}`, 5000),
        parseEnv({ L9_LABEL_SELECTOR: own.selector }).labelSelector,
      );
      const first = await docker.read();
      const second = await docker.read();
      if (!first.reachable || !second.reachable) throw new Error("Docker unreachable");
      expect(first.containers.map((c) => c.id).sort()).toEqual([a, b].sort());
      expect(second.containers).toBe(first.containers);
      await own.kill(b);
      const third = await docker.read();
      if (!third.reachable) throw new Error("Docker unreachable");
      expect(third.containers).not.toBe(first.containers);
      const byId = (list: typeof first.containers, id: string) => list.find((c) => c.id === id);
      expect(byId(third.containers, a)).toBe(byId(first.containers, a));
      expect(byId(third.containers, b)).not.toBe(byId(first.containers, b));
      expect(byId(third.containers, b)?.state).toBe("exited");
    } finally {
      await own.cleanup();
    }
  });
});
