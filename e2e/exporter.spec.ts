// The Python exporter, run with the machine's python3 against the running app, embedded the
// way the README says in orchestrator objects shaped like the real IndexerOrchestrator: one
// object per project, all in one process, each with its own active_indexers dict.
import { spawnSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "./support/fixtures";

type Source = { id: string; status: string; entries?: number };
type Check = { source: string; status: string; findings: { kind: string; message: string }[] };
type State = {
  sources: Source[];
  projects: { project: string; checks: Check[]; findings: Check["findings"] }[];
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
