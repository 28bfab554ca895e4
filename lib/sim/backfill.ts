// History backfill for the demo: simulated past polls of a drifting fleet, written through the
// same pure core and storage functions the collector uses, marked simulated in the data.
// Only ever pointed at the demo database.
import type { Db } from "../db";
import { computeDivergence } from "../core/divergence";
import { planHistory } from "../core/history";
import { projectHash } from "../core/paths";
import type { Container, Source, SourceEntry } from "../core/types";
import { applyRecorded, loadCollectorMemory, recordPoll } from "../store/polls";
import { NO_TOTALS, kindCounts, pollRecord, withTotals } from "../present/poll";
import { recordReadEvents, type ReadEventRow } from "../store/instances";
import { makeRng } from "./rng";

export type BackfillOptions = {
  days: number;
  stepMs?: number;
  projects?: number;
  seed?: number;
  now?: Date;
  log?: (line: string) => void;
};

export async function backfill(db: Db, opts: BackfillOptions): Promise<{ polls: number }> {
  const step = opts.stepMs ?? 10 * 60_000;
  const n = opts.projects ?? 12;
  const rng = makeRng(opts.seed ?? 1);
  const now = (opts.now ?? new Date()).getTime();
  const start = now - opts.days * 86400_000;
  const memory = await loadCollectorMemory(db);
  const names = Array.from({ length: n }, (_, i) => `proj-${String.fromCharCode(97 + i)}`);
  let serial = 0;
  const newId = () => (++serial).toString(16).padStart(8, "0").padEnd(64, "b");
  const containers = new Map<string, Container>();
  const registry = new Map<string, SourceEntry>();
  const instance = new Map<string, SourceEntry>();
  const launch = (p: string, port: number, at: number) => {
    const path = `/home/dev/${p}`;
    const c: Container = {
      id: newId(),
      name: `indexer-${p}`,
      project: p,
      state: "running",
      createdMs: at,
      labels: {
        "com.l9.managed": "true",
        "com.l9.project": p,
        "com.l9.project_hash": projectHash(path),
        "com.l9.port": String(port),
        "com.l9.project_path": path,
      },
      port,
      boundPort: port,
    };
    containers.set(p, c);
    registry.set(p, { containerId: null, port });
    instance.set(p, { containerId: c.id.slice(0, 12), port });
  };
  names.forEach((p, i) => launch(p, 48100 + i, start));
  let polls = 0;
  for (let t = start; t <= now; t += step) {
    // Drift: a container dies behind the orchestrator's back; idle clean-up leaves the registry
    // entry; the orchestrator restarts it later. Mostly quiet, as Phase 0 looks in practice.
    const r = rng();
    const p = names[Math.floor(rng() * n)]!;
    const c = containers.get(p);
    if (r < 0.01 && c && c.state === "running") c.state = "exited";
    else if (r < 0.02 && c) {
      containers.delete(p);
      instance.delete(p);
    } else if (r < 0.06 && (!c || c.state !== "running"))
      launch(p, registry.get(p)?.port ?? 48100 + names.indexOf(p), t);
    const reachable = rng() > 0.003;
    const list = [...containers.values()];
    const sources: Source[] = [
      { id: "container_registry", kind: "registry_file", status: "ok", entries: registry },
      { id: "active_indexers:mcp-backfill", kind: "active_indexers", status: "ok", entries: instance },
    ];
    const result = computeDivergence({
      docker: reachable ? { reachable: true, containers: list } : { reachable: false, lastKnown: list },
      sources,
    });
    const polledAt = new Date(t);
    const plan = planHistory(memory, result, sources, {
      polledAt,
      seq: (memory.last?.seq ?? 0) + (reachable ? 1 : 0),
      reachable,
      containers: reachable ? list : [],
    });
    const summary = withTotals(memory.last ?? NO_TOTALS, {
      polled_at: polledAt,
      docker_reachable: reachable,
      docker_latency_ms: reachable ? 15 + rng() * 15 : null,
      docker_error: reachable ? null : "unreachable: simulated outage",
      duration_ms: 20 + rng() * 10,
      interval_ms: step,
      checks: result.checks,
      diverged: result.diverged,
      in_flight: result.inFlight,
      diverged_ack: 0,
      projects: result.projects.length,
      kind_counts: kindCounts(result.kindCounts),
      simulated: true,
    });
    const stored = await recordPoll(db, "", pollRecord(summary, plan));
    if (stored) applyRecorded(memory, plan, stored);
    const reads: ReadEventRow[] = Array.from({ length: 3 }, () => {
      const ok = reachable && rng() > 0.02;
      return {
        instanceId: "mcp-backfill",
        at: new Date(t + Math.floor(rng() * step)),
        project: names[Math.floor(rng() * n)]!,
        servedBy: ok ? "docker" : "fallback",
        dockerOk: ok,
        latencyMs: ok ? 3 + rng() * 7 : 1000,
      };
    });
    await recordReadEvents(db, reads, true);
    polls += 1;
  }
  // The backfilled fleet is gone now: the first live poll closes its episodes and containers.
  opts.log?.(`[backfill] wrote ${polls} simulated polls over ${opts.days} days`);
  return { polls };
}
