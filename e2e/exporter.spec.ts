// The Python exporter, run with the machine's python3 against the running app.
import { spawnSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "./support/fixtures";

test("the standard-library exporter delivers snapshots and read events", async ({ app, fleet, request }) => {
  const id = await fleet.run({ project: "alpha", port: 48101, phase1: true });
  const script = `
import sys, time
sys.path.insert(0, ${JSON.stringify(path.resolve("examples/python"))})
from l9_state_exporter import L9StateExporter
e = L9StateExporter(${JSON.stringify(app.url)}, instance_id="mcp-py", flush_interval=0.2)
e.snapshot({"alpha": {"container_id": "${id.slice(0, 12)}", "port": 48101, "last_activity": "2025-09-24T09:59:51", "project_path": "/home/dev/alpha"}})
for i in range(25):
    e.read("alpha", served_by="docker" if i % 5 else "fallback", docker_ok=bool(i % 5), latency_ms=3.5)
e.close()
print(e.sent_snapshots, e.sent_events, e.dropped)
`;
  const r = spawnSync("python3", ["-c", script], { encoding: "utf8", timeout: 20_000 });
  expect(r.stderr).toBe("");
  expect(r.stdout.trim()).toBe("1 25 0");
  await expect(async () => {
    const state = await (await request.get(`${app.url}/api/v1/state`)).json();
    const src = state.sources.find((s: { id: string }) => s.id === "active_indexers:mcp-py");
    expect(src).toMatchObject({ status: "ok", entries: 1 });
    expect(
      state.projects[0].checks.find((c: { source: string }) => c.source === "active_indexers:mcp-py")?.status,
    ).toBe("consistent");
  }).toPass({ timeout: 10_000 });
  const db = new Database(app.databaseUrl.replace(/^file:/, ""), { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT servedBy, count(*) AS n FROM ReadEvent WHERE instanceId = 'mcp-py' GROUP BY servedBy ORDER BY servedBy",
      )
      .all();
    expect(rows).toEqual([
      { servedBy: "docker", n: 20 },
      { servedBy: "fallback", n: 5 },
    ]);
  } finally {
    db.close();
  }
});

test("the exporter never raises into the caller when the dashboard is down", async () => {
  const script = `
import sys
sys.path.insert(0, ${JSON.stringify(path.resolve("examples/python"))})
from l9_state_exporter import L9StateExporter
e = L9StateExporter("http://127.0.0.1:9", instance_id="mcp-down", flush_interval=0.05, max_events=10, timeout=0.2)
e.snapshot({"alpha": object()})
for i in range(50):
    e.read("alpha", "docker", True)
e.close(timeout=2)
print("ok", e.sent_events, e.dropped >= 40)
`;
  const r = spawnSync("python3", ["-c", script], { encoding: "utf8", timeout: 20_000 });
  expect(r.stderr).toBe("");
  expect(r.stdout.trim()).toBe("ok 0 True");
});
