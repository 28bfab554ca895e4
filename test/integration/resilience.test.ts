// Faults for real: Docker stopped mid-run and started again, the app killed while polling,
// Docker events driving a poll, and proof through a recording proxy that only GETs are sent.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Fleet } from "../support/fleet";
import { makeHarness, type Harness } from "../support/harness";
import { startRecordingProxy } from "../support/recording-proxy";
import { ensureStubImage, startPrivateDockerd, type PrivateDockerd } from "../../lib/dev/private-dockerd";
import { ReadOnlyDocker } from "../../lib/docker/client";
import { eventAction } from "../../lib/docker/events";

const waitFor = async <T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> => {
  const deadline = Date.now() + ms;
  let v = await fn();
  while (!ok(v)) {
    if (Date.now() > deadline)
      throw new Error(
        `condition not reached within ${ms} ms; last value: ${JSON.stringify(v)?.slice(0, 500)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
    v = await fn();
  }
  return v;
};

describe("Docker stopped mid-run", () => {
  let daemon: PrivateDockerd;
  let fleet: Fleet;
  let h: Harness;

  beforeAll(async () => {
    daemon = await startPrivateDockerd();
    await ensureStubImage(daemon.socketPath);
    fleet = new Fleet(daemon.socketPath);
    h = await makeHarness({ dockerHost: daemon.dockerHost, selector: fleet.selector });
  });
  afterAll(async () => {
    await h?.close();
    await daemon?.stop();
  });

  test("polls record docker_unavailable, health unknown, history intact; it recovers on its own", async () => {
    const id = await fleet.run({ project: "alpha", port: 48101, phase1: true });
    h.writeRegistry({ alpha: 48101, beta: 48102 });
    const before = await h.collector.pollOnce();
    expect(before.projects.map((p) => [p.project, p.health])).toEqual([
      ["alpha", "consistent"],
      ["beta", "diverged"],
    ]);
    const openBefore = await h.db.findingEpisode.count({ where: { closedAt: null } });

    await daemon.halt();
    const down = await h.collector.pollOnce();
    expect(down.docker).toMatchObject({ reachable: false });
    expect(down.docker.error).toBeTruthy();
    expect(down.summary).toMatchObject({ checks: 0, diverged: 0 });
    expect(down.projects.map((p) => [p.project, p.health])).toEqual([
      ["alpha", "unknown"],
      ["beta", "unknown"],
    ]);
    const row = await h.db.poll.findFirst({ orderBy: { id: "desc" } });
    expect(row).toMatchObject({ dockerReachable: false, checks: 0 });
    expect(await h.db.findingEpisode.count({ where: { closedAt: null } })).toBe(openBefore);

    daemon = await startPrivateDockerd({ dir: daemon.dir });
    await fleet.docker
      .getContainer(id)
      .start()
      .catch(() => undefined);
    const back = await waitFor(
      () => h.collector.pollOnce(),
      (s) => s.docker.reachable && s.projects.find((p) => p.project === "alpha")?.health === "consistent",
    );
    expect(back.summary.checks).toBe(2);
  });

  test("the running loop survives Docker refusing, and polls again on its own", async () => {
    await daemon.halt();
    const polls = await h.db.poll.count();
    h.collector.start();
    await waitFor(
      () => h.db.poll.count(),
      (n) => n >= polls + 1,
    );
    expect(h.collector.latestState()?.docker.reachable).toBe(false);
    daemon = await startPrivateDockerd({ dir: daemon.dir });
    h.collector.trigger();
    await waitFor(
      () => h.collector.latestState()?.docker.reachable,
      (r) => r === true,
    );
    await h.collector.stop();
  });
});

describe("with the shared daemon", () => {
  let fleet: Fleet;
  let socket: string;

  beforeAll(() => {
    socket = inject("dockerSocket");
    fleet = new Fleet(socket);
  });
  afterAll(async () => {
    await fleet.cleanup();
  });

  test("a Docker event brings a change into the state well before the next interval", async () => {
    const h = await makeHarness({
      dockerHost: `unix://${socket}`,
      selector: fleet.selector,
      env: { L9_POLL_INTERVAL_MS: "600000" },
    });
    try {
      const id = await fleet.run({ project: "ev", port: 48120, phase1: true });
      h.writeRegistry({ ev: 48120 });
      h.collector.start();
      await waitFor(
        () => h.collector.latestState(),
        (s) => s?.projects.find((p) => p.project === "ev")?.health === "consistent",
      );
      await fleet.kill(id);
      // The interval is ten minutes: only the events stream can have triggered this poll.
      const s = await waitFor(
        () => h.collector.latestState(),
        (st) => st?.projects.find((p) => p.project === "ev")?.health === "diverged",
        10_000,
      );
      expect(s?.projects.find((p) => p.project === "ev")?.findings.map((f) => f.kind)).toEqual([
        "not_running",
      ]);
    } finally {
      await h.close();
    }
  });

  test("the events stream stays open while Docker is quiet for longer than the call timeout", async () => {
    const id = await fleet.run({ project: "quiet", port: 48121, phase1: true });
    const docker = new ReadOnlyDocker(`unix://${socket}`, 300);
    const stream = await docker.containerEvents(
      fleet.selector.split(",").map((kv) => {
        const [key = "", value = ""] = kv.split("=");
        return { key, value };
      }),
    );
    let ended = false;
    stream.on("close", () => (ended = true));
    stream.on("error", () => (ended = true));
    const actions: string[] = [];
    stream.on("data", (b: Buffer) => {
      for (const line of b.toString("utf8").split("\n")) {
        const a = eventAction(line.trim());
        if (a) actions.push(a);
      }
    });
    try {
      // Five times the call timeout with nothing happening: the stream must still be there.
      await new Promise((r) => setTimeout(r, 1500));
      expect(ended).toBe(false);
      await fleet.kill(id);
      await waitFor(
        () => actions,
        (a) => a.includes("die"),
      );
      expect(ended).toBe(false);
    } finally {
      stream.destroy();
    }
  });

  test("the collector sends Docker nothing but GET (recording proxy on a unix socket)", async () => {
    const proxy = await startRecordingProxy(socket);
    const h = await makeHarness({
      dockerHost: `unix://${proxy.socketPath}`,
      selector: fleet.selector,
      env: { L9_POLL_INTERVAL_MS: "600000" },
    });
    try {
      const a = await fleet.run({ project: "ro", port: 48130 });
      h.writeRegistry({ ro: 48130 });
      h.collector.start();
      await waitFor(
        () => h.collector.latestState(),
        (s) => s?.projects.some((p) => p.project === "ro") === true,
      );
      await fleet.stop(a);
      await waitFor(
        () => h.collector.latestState(),
        (s) => s?.projects.find((p) => p.project === "ro")?.findings[0]?.kind === "not_running",
      );
      await h.collector.pollOnce();
    } finally {
      await h.close();
      await proxy.close();
    }
    const paths = proxy.requests.map((r) => r.path);
    expect(paths.some((p) => p.includes("/containers/json"))).toBe(true);
    expect(paths.some((p) => /\/containers\/[0-9a-f]{64}\/json/.test(p))).toBe(true);
    expect(paths.some((p) => p.includes("/events"))).toBe(true);
    expect(proxy.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  test("killed while polling: the database is intact and holds whole polls only", async () => {
    const h = await makeHarness({ dockerHost: `unix://${socket}`, selector: fleet.selector });
    const dbFile = h.cfg.databaseUrl.replace(/^file:/, "");
    await h.close().catch(() => undefined);
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    const { applyMigrations } = await import("../../scripts/schema-engine.mjs");
    await applyMigrations(h.cfg.databaseUrl);
    for (let i = 0; i < 6; i++)
      await fleet.run({ project: `crash${i}`, port: 48140 + i, phase1: i % 2 === 0 });
    fs.writeFileSync(
      h.registryPath,
      JSON.stringify({ container_ports: { crash0: 48140, crash1: 1, other: 48141 } }),
    );
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/crash-child.ts"], {
      env: {
        ...process.env,
        DOCKER_HOST: `unix://${socket}`,
        L9_LABEL_SELECTOR: fleet.selector,
        L9_REGISTRY_PATH: h.registryPath,
        DATABASE_URL: h.cfg.databaseUrl,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => d.toString().includes("polling") && resolve());
      child.on("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    // Keep the fleet changing so polls write episodes and containers, then kill mid-flight.
    const churn = await fleet.run({ project: "crash-churn", port: 48149 });
    await fleet.stop(churn);
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const db = new Database(dbFile, { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const polls = db
        .prepare(
          "SELECT id, polledAt, checks, diverged, cumChecks, cumDiverged, seq, dockerReachable FROM Poll ORDER BY id",
        )
        .all() as {
        id: number;
        polledAt: number;
        checks: number;
        diverged: number;
        cumChecks: number;
        cumDiverged: number;
        seq: number;
        dockerReachable: number;
      }[];
      expect(polls.length).toBeGreaterThan(3);
      for (let i = 1; i < polls.length; i++) {
        const [a, b] = [polls[i - 1]!, polls[i]!];
        expect(b.cumChecks - a.cumChecks).toBe(b.checks);
        expect(b.cumDiverged - a.cumDiverged).toBe(b.diverged);
        expect(b.seq - a.seq).toBe(b.dockerReachable ? 1 : 0);
      }
      // Every episode and container row was written by a poll that was committed whole.
      const times = new Set(polls.map((p) => p.polledAt));
      const opened = db.prepare("SELECT openedAt FROM FindingEpisode").all() as { openedAt: number }[];
      const seen = db.prepare("SELECT firstSeenAt FROM Container").all() as { firstSeenAt: number }[];
      expect(opened.length).toBeGreaterThan(0);
      expect(opened.every((e) => times.has(e.openedAt))).toBe(true);
      expect(seen.every((c) => times.has(c.firstSeenAt))).toBe(true);
      const runs = db.prepare("SELECT startSeq FROM CheckRun").all() as { startSeq: number }[];
      const seqs = new Set(polls.map((p) => p.seq));
      expect(runs.every((r) => seqs.has(r.startSeq))).toBe(true);
    } finally {
      db.close();
      fs.rmSync(path.dirname(dbFile), { recursive: true, force: true });
    }
  });
});
