// The Python exporter, run with the machine's python3 against the running app, embedded the
// way the README says in orchestrator objects shaped like the real IndexerOrchestrator: one
// object per project, all in one process, each with its own active_indexers dict.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "./support/fixtures";

type Source = { id: string; status: string; entries?: number };
type Check = { source: string; status: string; findings: { kind: string; message: string }[] };
type State = {
  sources: Source[];
  projects: { project: string; checks: Check[]; findings: Check["findings"] }[];
};

type BranchState = {
  sources: Source[];
  projects: {
    project: string;
    checks: Check[];
    findings: { kind: string; message: string; container_id?: string }[];
  }[];
};

const EXPORTER_DIR = JSON.stringify(path.resolve("examples/python"));

/** A process with orchestrator objects like the real one; `body` runs after the prelude. */
function python(appUrl: string, body: string): { stdout: string; stderr: string } {
  const script = `
import sys, time
sys.path.insert(0, ${EXPORTER_DIR})
from l9_state_exporter import L9StateExporter

class IndexerOrchestrator:
    """Shaped like neural-tools' IndexerOrchestrator: its own dict, the exporter per the README."""
    def __init__(self):
        self.active_indexers = {}
        self.exporter = L9StateExporter(${JSON.stringify(appUrl)}, flush_interval=0.2, heartbeat_interval=0.5)
        self.exporter.snapshot(self.active_indexers)
    def add(self, project, container_id, port):
        self.active_indexers[project] = {"container_id": container_id, "port": port,
                                         "last_activity": "2026-11-27T10:00:00.123456", "project_path": "/p/" + project}
        self.exporter.snapshot(self.active_indexers)
${body}
`;
  const r = spawnSync("python3", ["-c", script], { encoding: "utf8", timeout: 30_000 });
  return { stdout: r.stdout.trim(), stderr: r.stderr };
}

const getState = async (url: string): Promise<State> => (await fetch(`${url}/api/v1/state`)).json();
const instances = (s: State) => s.sources.filter((x) => x.id.startsWith("active_indexers:"));

test("the standard-library exporter delivers snapshots and read events", async ({ app, fleet }) => {
  const id = await fleet.run({ project: "alpha", port: 48101, phase1: true });
  const r = python(
    app.url,
    `
e = L9StateExporter(${JSON.stringify(app.url)}, instance_id="mcp-py", flush_interval=0.2)
d = {"alpha": {"container_id": "${id.slice(0, 12)}", "port": 48101, "last_activity": "2025-09-24T09:59:51", "project_path": "/home/dev/alpha"}}
e.snapshot(d)
for i in range(25):
    e.read("alpha", served_by="docker" if i % 5 else ("fallback" if i % 10 else "none"), docker_ok=bool(i % 5), latency_ms=3.5)
deadline = time.time() + 10
while (e.sent_snapshots < 1 or e.sent_events < 25) and time.time() < deadline:
    time.sleep(0.05)
print(e.sent_events, e.dropped)
`,
  );
  expect(r.stderr).toBe("");
  expect(r.stdout).toBe("25 0");
  const db = new Database(app.databaseUrl.replace(/^file:/, ""), { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT servedBy, count(*) AS n FROM ReadEvent WHERE instanceId = 'mcp-py' GROUP BY servedBy ORDER BY servedBy",
      )
      .all();
    expect(rows).toEqual([
      { servedBy: "docker", n: 20 },
      { servedBy: "fallback", n: 2 },
      { servedBy: "none", n: 3 },
    ]);
  } finally {
    db.close();
  }
  // The script exited cleanly: its last snapshot said so (CONTRACT 6b).
  await expect(async () => {
    const s = await getState(app.url);
    expect(s.sources.find((x) => x.id === "active_indexers:mcp-py")?.status).toBe("ended");
    expect(s.projects[0]?.checks.map((c) => c.source)).not.toContain("active_indexers:mcp-py");
  }).toPass({ timeout: 10_000 });
});

test("6a: several orchestrators in one process are one source, their union, nobody an orphan", async ({
  app,
  fleet,
}) => {
  const a = await fleet.run({ project: "alpha", port: 48101 });
  const b = await fleet.run({ project: "beta", port: 48102 });
  const r = python(
    app.url,
    `
o1, o2 = IndexerOrchestrator(), IndexerOrchestrator()
print(o1.exporter is o2.exporter)
o1.add("alpha", "${a}", "48101")
o2.add("beta", "${b.slice(0, 12)}", 48102)
time.sleep(1.5)
`,
  );
  expect(r.stderr).toBe("");
  expect(r.stdout).toBe("True");
  await expect(async () => {
    const inst = instances(await getState(app.url));
    expect(inst).toHaveLength(1);
    expect(inst[0]).toMatchObject({ status: "ended", entries: 2 });
  }).toPass({ timeout: 10_000 });
  const db = new Database(app.databaseUrl.replace(/^file:/, ""), { readonly: true });
  try {
    expect(db.prepare("SELECT count(*) AS n FROM Restart").get()).toEqual({ n: 0 });
    const orphan = db
      .prepare(
        "SELECT count(*) AS n FROM FindingEpisode WHERE kind = 'missing_in_source' AND source LIKE 'active%'",
      )
      .get();
    expect(orphan).toEqual({ n: 0 });
  } finally {
    db.close();
  }
});

test("6a: two dicts of one process that disagree about a project are reported while it runs", async ({
  app,
  fleet,
}) => {
  const a = await fleet.run({ project: "alpha", port: 48101 });
  const r = python(
    app.url,
    `
import urllib.request, json
o1, o2 = IndexerOrchestrator(), IndexerOrchestrator()
o1.add("alpha", "${a.slice(0, 12)}", 48101)
o2.add("alpha", "${a.slice(0, 12)}", 48199)
time.sleep(1.5)
s = json.load(urllib.request.urlopen(${JSON.stringify(app.url)} + "/api/v1/state"))
checks = [c for p in s["projects"] for c in p["checks"] if c["source"].startswith("active_indexers:")]
print(json.dumps([f["kind"] for c in checks for f in c["findings"]]))
`,
  );
  expect(r.stderr).toBe("");
  expect(JSON.parse(r.stdout)).toEqual(expect.arrayContaining(["legacy_copies_disagree"]));
});

test("6b: a clean exit is not a crash; the next process is no restart", async ({ app, fleet }) => {
  const a = await fleet.run({ project: "alpha", port: 48101 });
  for (let i = 0; i < 2; i++) {
    const r = python(
      app.url,
      `o = IndexerOrchestrator()\no.add("alpha", "${a.slice(0, 12)}", 48101)\ntime.sleep(0.6)`,
    );
    expect(r.stderr).toBe("");
  }
  await expect(async () => {
    expect(instances(await getState(app.url)).map((x) => x.status)).toEqual(["ended", "ended"]);
  }).toPass({ timeout: 10_000 });
  const db = new Database(app.databaseUrl.replace(/^file:/, ""), { readonly: true });
  try {
    expect(db.prepare("SELECT count(*) AS n FROM Restart").get()).toEqual({ n: 0 });
  } finally {
    db.close();
  }
});

test("6c: what the orchestrator writes before Docker assigns a port is accepted as no port", async ({
  app,
  fleet,
  request,
}) => {
  const a = await fleet.run({ project: "alpha", port: 48101 });
  const body = (port: unknown) => ({
    instance_id: "mcp-raw",
    started_at: "2026-11-27T10:00:00Z",
    taken_at: new Date().toISOString(),
    indexers: { alpha: { container_id: a, port, last_activity: "2026-11-27T10:00:00.123456" } },
  });
  const url = `${app.url}/api/v1/ingest/active-indexers`;
  expect((await request.post(url, { data: body("") })).status()).toBe(202);
  expect((await request.post(url, { data: body(null) })).status()).toBe(202);
  expect((await request.post(url, { data: body("48101") })).status()).toBe(202);
  const bad = await request.post(url, { data: body("80a") });
  expect(bad.status()).toBe(400);
  const err = (await bad.json()).error;
  expect(err.field).toBe("indexers.alpha.port");
  expect(err.message).toMatch(/a port number 1-65535, a string of digits .*"" or null for no port/);
});

test("the exporter never raises into the caller when the dashboard is down", async () => {
  const r = python(
    "http://127.0.0.1:9",
    `
e = L9StateExporter("http://127.0.0.1:9", instance_id="mcp-down", flush_interval=0.05, max_events=10, timeout=0.2)
e.snapshot({"alpha": object()})
for i in range(50):
    e.read("alpha", "docker", True)
e.close(timeout=2)
print("ok", e.sent_events, e.dropped >= 40)
`,
  );
  expect(r.stderr).toBe("");
  expect(r.stdout).toBe("ok 0 True");
});

/** A long-running Python process; `line(x)` resolves when it prints x. Killed by the test. */
function pythonProcess(script: string) {
  const child = spawn("python3", ["-c", script], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const line = (x: string) =>
    expect.poll(() => out.split("\n").includes(x) || err, { timeout: 15_000 }).toBe(true);
  return { child, line, stderr: () => err };
}

test.describe("7: processes shaped like the ADR-0098 branch's IndexerOrchestrator", () => {
  test.use({ appEnv: { L9_INSTANCE_STALE_MS: "1000", L9_POLL_INTERVAL_MS: "300" } });

  test("own projects consistent, a crash's container on active_indexers:*, its stopped one leaked, a rebuilt dict followed", async ({
    app,
    fleet,
  }) => {
    const alpha = await fleet.run({ project: "alpha", port: 48100 });
    const delta = await fleet.run({ project: "delta", port: 48101 });
    const beta = await fleet.run({ project: "beta", port: 48100 });
    const gamma = await fleet.run({ project: "gamma", port: 48101 });
    const epsilon = await fleet.run({ project: "epsilon", port: 48102 });
    const zeta = await fleet.run({ project: "zeta", port: 48100 });
    await fleet.stop(delta);
    await fleet.stop(gamma);
    const signal = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "l9-e2e-")), "rebuild");
    // The branch's class (examples/python/tests/branch_like.py), holding real containers.
    const proc = (id: string, own: [string, string], stopped: [string, string] | null) => `
import sys, time, os
from datetime import datetime
sys.path.insert(0, ${EXPORTER_DIR})
sys.path.insert(0, ${JSON.stringify(path.resolve("examples/python/tests"))})
from l9_state_exporter import L9StateExporter
from branch_like import BranchLikeOrchestrator

class Orchestrator(BranchLikeOrchestrator):
    def hold(self, project, container_id):
        self.active_indexers[project] = {"container_id": container_id, "last_activity": datetime.now(),
                                         "project_path": "/home/dev/" + project, "port": self._allocate_port()}

o = Orchestrator()
L9StateExporter(${JSON.stringify(app.url)}, instance_id="${id}", flush_interval=0.2, heartbeat_interval=0.3).track(o)
o.hold("${own[0]}", "${own[1]}")
${stopped ? `o.hold("${stopped[0]}", "${stopped[1]}")\no.stop_only("${stopped[0]}")` : ""}
print("ready", flush=True)
while not os.path.exists(${JSON.stringify(signal)}):
    time.sleep(0.1)
# Phase 3: a new dict object, filled from Docker; the exporter is not told.
o.rebuild({"${own[0]}": o.active_indexers["${own[0]}"],
           "epsilon": {"container_id": "${epsilon}", "last_activity": datetime.now(), "port": 48102}})
print("rebuilt", flush=True)
while True:
    time.sleep(0.1)
`;
    const a = pythonProcess(proc("mcp-branch-a", ["alpha", alpha], ["delta", delta]));
    const b = pythonProcess(proc("mcp-branch-b", ["beta", beta], ["gamma", gamma]));
    // A third process, so that two stay live after the crash: orphans are then one column (7a).
    const c = pythonProcess(proc("mcp-branch-c", ["zeta", zeta], null));
    try {
      await a.line("ready");
      await b.line("ready");
      await c.line("ready");
      const checksOf = (s: BranchState, source: string) =>
        s.projects.flatMap((p) =>
          p.checks.filter((c) => c.source === source).map((c) => [p.project, c.status]),
        );
      const orphans = (s: BranchState) =>
        s.projects
          .filter((p) =>
            p.checks.some(
              (c) =>
                c.source === "active_indexers:*" && c.findings.some((f) => f.kind === "missing_in_source"),
            ),
          )
          .map((p) => p.project);
      const leaked = (s: BranchState) =>
        s.projects.flatMap((p) =>
          p.findings.filter((f) => f.kind === "leaked_container").map((f) => [p.project, f.container_id]),
        );
      // Both live: each holds its own project, and neither's is an orphan of the other (7a).
      await expect(async () => {
        const s = (await getState(app.url)) as BranchState;
        expect(checksOf(s, "active_indexers:mcp-branch-a")).toEqual([["alpha", "consistent"]]);
        expect(checksOf(s, "active_indexers:mcp-branch-b")).toEqual([["beta", "consistent"]]);
        expect(checksOf(s, "active_indexers:mcp-branch-c")).toEqual([["zeta", "consistent"]]);
        expect(orphans(s)).toEqual(["epsilon"]);
        expect(leaked(s)).toEqual([]);
      }).toPass({ timeout: 15_000 });
      // b is killed: no last snapshot, it goes stale (7a, 7b).
      b.child.kill("SIGKILL");
      await expect(async () => {
        const s = (await getState(app.url)) as BranchState;
        expect(s.sources.find((x) => x.id === "active_indexers:mcp-branch-b")?.status).toBe("stale");
        expect(orphans(s)).toEqual(["beta", "epsilon"]);
        expect(checksOf(s, "active_indexers:mcp-branch-a")).toEqual([["alpha", "consistent"]]);
        // gamma, listed stopped only by the dead process, leaked; delta, listed by a, did not.
        expect(leaked(s)).toEqual([["gamma", gamma]]);
      }).toPass({ timeout: 15_000 });
      await expect(async () => {
        const phases = (await (await fetch(`${app.url}/api/v1/phases`)).json()) as {
          phases: {
            phase: number;
            criteria: { id: string; status: string; evidence: { summary: string } }[];
          }[];
        };
        const crash = phases.phases
          .find((p) => p.phase === 3)
          ?.criteria.find((c) => c.id === "crash_recovery");
        expect(crash?.status).toBe("not_met");
        expect(crash?.evidence.summary).toContain(`gamma ${gamma.slice(0, 12)} (mcp-branch-b)`);
      }).toPass({ timeout: 15_000 });
      // a rebuilds its dict as a new object; the tracked exporter follows it without forget() (7f).
      fs.writeFileSync(signal, "");
      await a.line("rebuilt");
      await expect(async () => {
        const s = (await getState(app.url)) as BranchState;
        expect(checksOf(s, "active_indexers:mcp-branch-a").sort()).toEqual([
          ["alpha", "consistent"],
          ["epsilon", "consistent"],
        ]);
        expect(orphans(s)).toEqual(["beta"]);
      }).toPass({ timeout: 15_000 });
      expect(a.stderr()).toBe("");
    } finally {
      a.child.kill("SIGKILL");
      b.child.kill("SIGKILL");
      c.child.kill("SIGKILL");
    }
  });
});
