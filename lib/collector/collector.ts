// The collector: every L9_POLL_INTERVAL_MS, and soon after Docker reports a change to a
// selected container, it reads Docker and every legacy source, computes divergence, and
// records the poll. Docker down, slow or refusing gives docker_unavailable polls; it
// reconnects on its own and never stops the app.
import crypto from "node:crypto";
import type { Readable } from "node:stream";
import type { Env } from "../env";
import type { Db } from "../db";
import type { ReadOnlyDocker } from "../docker/client";
import { DockerSource } from "../sources/docker";
import { readRegistry, type RegistryRead } from "../sources/registry";
import { computeDivergence } from "../core/divergence";
import { episodeKey, findingSubject, planHistory } from "../core/history";
import { applySnapshot, isStale, pairReplacements, type InstanceRecord, type RestartEvent } from "../core/instances";
import { buildState } from "../core/state";
import type { Container, Source, SourceEntry } from "../core/types";
import type { ApiFinding, ApiSource, ApiState } from "../contracts/state";
import { activeIndexersSnapshotSchema, type ActiveIndexersSnapshot } from "../contracts/ingest";
import { applyRecorded, loadCollectorMemory, nextCumulative, pruneHistory, recordPoll, type CollectorMemory } from "../store/polls";
import { countRestarts, loadInstances, pendingRestarts, recordReplacements, saveInstance } from "../store/instances";
import { collectorStatus } from "./status";
import { log } from "../log";

const EVENT_ACTIONS = new Set(["create", "start", "restart", "die", "stop", "kill", "destroy", "pause", "unpause", "oom"]);
const DEBOUNCE_MS = 150;
const MAX_DEBOUNCE_MS = 750;
const LATEST_REWRITE_MS = 60_000;
const LIST_STALE_INSTANCES_MS = 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;

/** Stamps each finding of the state with the opening time of its open episode. */
function withOpenedAt(state: ApiState, episodes: CollectorMemory["episodes"]): ApiState {
  const stamp = <T extends ApiFinding>(project: string, f: T): T => {
    const ep = episodes.get(episodeKey({ project, source: f.source ?? "", kind: f.kind, subject: findingSubject({ ...f, project }) }));
    return ep ? { ...f, opened_at: ep.openedAt.toISOString() } : f;
  };
  return {
    ...state,
    projects: state.projects.map((p) => ({
      ...p,
      checks: p.checks.map((c) => ({ ...c, findings: c.findings.map((f) => stamp(p.project, f)) })),
      findings: p.findings.map((f) => stamp(p.project, f)),
    })),
  };
}

export type CollectorDeps = { cfg: Env; db: Db; docker: ReadOnlyDocker; now?: () => Date };

type RegistryState = { read: RegistryRead | null; readAt: Date | null; goodAt: Date | null };

export class Collector {
  readonly cfg: Env;
  private readonly db: Db;
  private readonly dockerClient: ReadOnlyDocker;
  private readonly dockerSource: DockerSource;
  private readonly now: () => Date;
  private memory: CollectorMemory | null = null;
  private readonly instances = new Map<string, InstanceRecord>();
  private pending: { id: number; instanceId: string }[] = [];
  private restartCounts = new Map<string, number>();
  private registry: RegistryState = { read: null, readAt: null, goodAt: null };
  private readonly pullErrors = new Map<string, { error: string; at: Date }>();
  private lastKnownContainers: Container[] = [];
  private dockerLastOkAt: Date | null = null;
  private dockerWasReachable: boolean | null = null;
  private latest: ApiState | null = null;
  private latestWrittenAt = 0;
  private lastPrune = 0;
  private readyPromise: Promise<void> | null = null;
  private polling: Promise<ApiState> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private debounceTimer: NodeJS.Timeout | null = null;
  private firstTriggerAt = 0;
  private events: Readable | null = null;
  private eventsRetry: NodeJS.Timeout | null = null;
  private eventsBackoffMs = 1000;
  private stopped = true;

  constructor(deps: CollectorDeps) {
    this.cfg = deps.cfg;
    this.db = deps.db;
    this.dockerClient = deps.docker;
    this.dockerSource = new DockerSource(deps.docker, deps.cfg.labelSelector);
    this.now = deps.now ?? (() => new Date());
  }

  /** Loads what the collector remembers from the database (once). */
  ready(): Promise<void> {
    this.readyPromise ??= (async () => {
      this.memory = await loadCollectorMemory(this.db);
      for (const rec of await loadInstances(this.db)) this.instances.set(rec.instanceId, rec);
      this.pending = await pendingRestarts(this.db);
      this.restartCounts = await countRestarts(this.db);
    })();
    return this.readyPromise;
  }

  latestState(): ApiState | null {
    return this.latest;
  }

  // ---- active_indexers snapshots (push and pull) ----

  async ingestSnapshot(snap: ActiveIndexersSnapshot, via: string): Promise<{ ignored: boolean; restart: RestartEvent | null }> {
    await this.ready();
    const receivedAt = this.now();
    const entries = new Map<string, SourceEntry>();
    for (const [project, e] of Object.entries(snap.indexers)) {
      entries.set(project, { containerId: e.container_id ?? null, port: e.port ?? null });
    }
    const existing = this.instances.get(snap.instance_id);
    const { record, restart, ignored } = applySnapshot(existing, { instanceId: snap.instance_id, startedAt: snap.started_at, takenAt: snap.taken_at, entries }, receivedAt, via);
    if (ignored) return { ignored, restart: null };
    await saveInstance(this.db, record, restart ? [restart] : [], this.cfg.simulated);
    this.instances.set(record.instanceId, record);
    if (restart) await this.noteRestarts([restart], false);
    if (!existing) log("collector", "info", "new orchestrator instance", { instance_id: record.instanceId, via });
    this.trigger();
    return { ignored, restart };
  }

  private async noteRestarts(restarts: RestartEvent[], persist: boolean): Promise<void> {
    if (persist) await recordReplacements(this.db, restarts, this.cfg.simulated);
    this.pending = await pendingRestarts(this.db);
    this.restartCounts = await countRestarts(this.db);
    for (const r of restarts) {
      if (r.reason === "replaced_stale") {
        const prev = this.instances.get(r.previousInstanceId);
        if (prev) prev.replacedBy = r.instanceId;
      }
      log("collector", "info", "orchestrator restart", { instance_id: r.instanceId, previous: r.previousInstanceId, reason: r.reason });
    }
  }

  private async pullAll(): Promise<void> {
    await Promise.all(
      this.cfg.orchestratorUrls.map(async (url) => {
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(this.cfg.dockerTimeoutMs), headers: { accept: "application/json" } });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          const parsed = activeIndexersSnapshotSchema.safeParse(await res.json());
          if (!parsed.success) {
            const i = parsed.error.issues[0];
            throw new Error(`bad snapshot at ${i?.path.join(".") || "(root)"}: ${i?.message}`);
          }
          await this.ingestSnapshot(parsed.data, `pull:${url}`);
          if (this.pullErrors.delete(url)) log("collector", "info", "orchestrator URL answers again", { url });
        } catch (err) {
          const error = err instanceof Error ? (err.name === "TimeoutError" ? `no answer within ${this.cfg.dockerTimeoutMs} ms` : err.message) : String(err);
          if (!this.pullErrors.has(url)) log("collector", "warn", "orchestrator URL failed", { url, error });
          this.pullErrors.set(url, { error, at: this.now() });
        }
      }),
    );
  }

  // ---- polling ----

  /** Runs one poll now, or joins the one in flight. */
  pollOnce(): Promise<ApiState> {
    if (this.polling) {
      this.again = true;
      return this.polling;
    }
    this.polling = this.doPoll().finally(() => {
      this.polling = null;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.pollOnce();
      }
    });
    return this.polling;
  }

  private async doPoll(): Promise<ApiState> {
    await this.ready();
    const memory = this.memory!;
    const started = performance.now();
    const polledAt = this.now();
    const [docker] = await Promise.all([this.dockerSource.read(), this.readRegistrySource(polledAt), this.pullAll()]);

    if (docker.reachable) {
      this.lastKnownContainers = docker.containers;
      this.dockerLastOkAt = polledAt;
    }
    if (this.dockerWasReachable !== docker.reachable) {
      if (docker.reachable) log("collector", "info", "Docker reachable", { endpoint: this.dockerSource.endpoint });
      else log("collector", "warn", "Docker unavailable", { endpoint: this.dockerSource.endpoint, error: docker.error.message });
      this.dockerWasReachable = docker.reachable;
    }

    // Instances that went stale and were replaced by a new one: restarts.
    const replacements = pairReplacements([...this.instances.values()], polledAt, this.cfg.instanceStaleMs);
    if (replacements.length) await this.noteRestarts(replacements, true);

    const { sources, apiSources } = this.sources(polledAt);
    const result = computeDivergence({ docker: docker.reachable ? { reachable: true, containers: docker.containers } : { reachable: false, lastKnown: this.lastKnownContainers }, sources });
    const plan = planHistory(memory, result, sources, { polledAt, seq: memory.cumulative.seq + (docker.reachable ? 1 : 0), reachable: docker.reachable, containers: docker.reachable ? docker.containers : [] });

    const recovered = docker.reachable
      ? this.pending.filter((p) => {
          const src = sources.find((s) => s.id === `active_indexers:${p.instanceId}`);
          if (!src || src.status !== "ok") return false;
          return result.projects.every((proj) => proj.checks.every((c) => c.source !== src.id || c.status === "consistent"));
        })
      : [];

    const durationMs = performance.now() - started;
    const dockerInfo: ApiState["docker"] = {
      reachable: docker.reachable,
      endpoint: this.dockerSource.endpoint,
      latency_ms: docker.latencyMs === null ? null : Math.round(docker.latencyMs * 10) / 10,
      error: docker.reachable ? null : docker.error.message,
      last_ok_at: this.dockerLastOkAt?.toISOString() ?? null,
    };
    const row = {
      polledAt,
      dockerReachable: docker.reachable,
      dockerLatencyMs: docker.latencyMs,
      dockerError: docker.reachable ? null : `${docker.error.kind}: ${docker.error.message}`,
      durationMs,
      checks: result.checks,
      diverged: result.diverged,
      projects: result.projects.length,
      kindCounts: result.kindCounts,
      simulated: this.cfg.simulated,
    };
    const cumulative = nextCumulative(memory.cumulative, row);
    let state = buildState({ pollId: null, polledAt, simulated: this.cfg.simulated, docker: dockerInfo, sources, apiSources, result, pollIntervalMs: this.cfg.pollIntervalMs, durationMs: Math.round(durationMs * 10) / 10 });
    // The stored copy of the latest state is for continuity across restarts: rewrite it when
    // health changed, or once a minute, not on every poll.
    const hash = crypto
      .createHash("sha1")
      .update(`${docker.reachable}|${result.checks}|${result.diverged}|${JSON.stringify(result.kindCounts)}|${apiSources.map((x) => `${x.id}=${x.status}`).join(",")}|${result.projects.map((p) => `${p.project}:${p.health}:${p.containers.length}`).join(",")}`)
      .digest("hex");
    const writeLatest = hash !== memory.latestBodyHash || polledAt.getTime() - this.latestWrittenAt > LATEST_REWRITE_MS;
    const body = writeLatest ? JSON.stringify(state) : null;

    try {
      const recorded = await recordPoll(this.db, { row, cumulative, plan, latestBody: body, recoveredRestarts: recovered.map((r) => r.id) });
      // Committed: now the in-memory history may follow.
      applyRecorded(memory, plan, recorded, cumulative);
      if (writeLatest) {
        memory.latestBodyHash = hash;
        this.latestWrittenAt = polledAt.getTime();
      }
      if (recovered.length) {
        const done = new Set(recovered.map((r) => r.id));
        this.pending = this.pending.filter((p) => !done.has(p.id));
      }
      state = { ...withOpenedAt(state, memory.episodes), poll_id: recorded.pollId };
    } catch (err) {
      log("collector", "error", "could not record the poll; history unchanged", { error: err instanceof Error ? err.message : String(err) });
      // Re-read what is stored (another writer, or a partial failure): the next poll plans from it.
      this.memory = await loadCollectorMemory(this.db).catch(() => memory);
    }
    this.latest = state;
    collectorStatus().lastPollAt = polledAt;
    await this.maybePrune(polledAt);
    return state;
  }

  private registryCache: { key: string; read: RegistryRead } | undefined;

  private async readRegistrySource(at: Date): Promise<void> {
    const read = await readRegistry(this.cfg.registryPath, this.registryCache);
    this.registryCache = read.cacheKey ? { key: read.cacheKey, read } : undefined;
    const prev = this.registry.read?.status;
    if (prev !== read.status) {
      const reason = read.status === "ok" ? "" : read.reason;
      log("collector", read.status === "unreadable" ? "warn" : "info", `registry file ${read.status}`, { path: this.cfg.registryPath, ...(reason ? { reason } : {}) });
    }
    this.registry = { read, readAt: at, goodAt: read.status === "ok" ? at : this.registry.goodAt };
  }

  private sources(now: Date): { sources: Source[]; apiSources: ApiSource[] } {
    const sources: Source[] = [];
    const apiSources: ApiSource[] = [];
    const reg = this.registry.read;
    if (reg) {
      sources.push({ id: "container_registry", kind: "registry_file", status: reg.status, entries: reg.status === "ok" ? reg.entries : new Map() });
      apiSources.push({
        id: "container_registry",
        kind: "registry_file",
        status: reg.status,
        detail: this.cfg.registryPath,
        error: reg.status === "ok" ? null : reg.reason,
        last_read_at: this.registry.readAt?.toISOString() ?? null,
        last_good_at: this.registry.goodAt?.toISOString() ?? null,
        entries: reg.status === "ok" ? reg.entries.size : undefined,
      });
    }
    const recs = [...this.instances.values()].sort((a, b) => a.instanceId.localeCompare(b.instanceId));
    for (const rec of recs) {
      const stale = isStale(rec, now, this.cfg.instanceStaleMs);
      if (stale && now.getTime() - rec.lastSeenAt.getTime() > LIST_STALE_INSTANCES_MS) continue;
      const id = `active_indexers:${rec.instanceId}`;
      sources.push({ id, kind: "active_indexers", status: stale ? "stale" : "ok", entries: stale ? new Map() : rec.entries });
      apiSources.push({
        id,
        kind: "active_indexers",
        status: stale ? "stale" : "ok",
        detail: stale ? `no snapshot for ${Math.round((now.getTime() - rec.lastSeenAt.getTime()) / 1000)} s (stale after ${this.cfg.instanceStaleMs / 1000} s)` : `${rec.entries.size} indexers`,
        last_seen: rec.lastSeenAt.toISOString(),
        started_at: rec.startedAt.toISOString(),
        taken_at: rec.takenAt.toISOString(),
        via: rec.via,
        entries: rec.entries.size,
        restarts: this.restartCounts.get(rec.instanceId) ?? 0,
      });
    }
    for (const [url, e] of this.pullErrors) {
      apiSources.push({ id: `orchestrator_url:${url}`, kind: "orchestrator_url", status: "unreadable", detail: url, error: e.error, last_read_at: e.at.toISOString() });
    }
    return { sources, apiSources };
  }

  private async maybePrune(now: Date): Promise<void> {
    if (now.getTime() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now.getTime();
    try {
      const cutoff = new Date(now.getTime() - this.cfg.retentionDays * 86400_000);
      const n = await pruneHistory(this.db, cutoff);
      if (n.polls + n.episodes + n.events > 0) log("collector", "info", "pruned history", { before: cutoff.toISOString(), ...n });
    } catch (err) {
      log("collector", "error", "pruning failed", { error: err instanceof Error ? err.message : String(err) });
    }
  }

  // ---- scheduling ----

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    collectorStatus().running = true;
    const loop = async () => {
      if (this.stopped) return;
      const started = Date.now();
      try {
        await this.pollOnce();
      } catch (err) {
        log("collector", "error", "poll failed", { error: err instanceof Error ? err.message : String(err) });
      }
      if (this.stopped) return;
      this.timer = setTimeout(loop, Math.max(0, this.cfg.pollIntervalMs - (Date.now() - started)));
    };
    void loop();
    void this.watchEvents();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    collectorStatus().running = false;
    for (const t of [this.timer, this.debounceTimer, this.eventsRetry]) if (t) clearTimeout(t);
    this.events?.destroy();
    this.events = null;
    await this.polling?.catch(() => undefined);
  }

  /** Asks for a poll soon (debounced): Docker events and pushed snapshots call this. */
  trigger(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (!this.debounceTimer) this.firstTriggerAt = now;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    const wait = Math.min(DEBOUNCE_MS, Math.max(0, this.firstTriggerAt + MAX_DEBOUNCE_MS - now));
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.pollOnce().catch(() => undefined);
    }, wait);
  }

  private async watchEvents(): Promise<void> {
    if (this.stopped) return;
    try {
      const stream = await this.dockerClient.containerEvents(this.cfg.labelSelector);
      this.events = stream;
      this.eventsBackoffMs = 1000;
      let buf = "";
      stream.on("data", (chunk: Buffer) => {
        buf += chunk.toString("utf8");
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          try {
            const ev = JSON.parse(line) as { Action?: string; status?: string };
            const action = (ev.Action ?? ev.status ?? "").split(":")[0] ?? "";
            if (EVENT_ACTIONS.has(action)) this.trigger();
          } catch {
            /* a partial or foreign line: ignore */
          }
        }
      });
      const retry = () => {
        if (this.events !== stream) return;
        this.events = null;
        this.scheduleEventsRetry();
      };
      stream.on("end", retry);
      stream.on("close", retry);
      stream.on("error", retry);
    } catch {
      this.scheduleEventsRetry();
    }
  }

  private scheduleEventsRetry(): void {
    if (this.stopped) return;
    this.eventsRetry = setTimeout(() => void this.watchEvents(), this.eventsBackoffMs);
    this.eventsBackoffMs = Math.min(this.eventsBackoffMs * 2, 15_000);
    // Docker may have changed while we were not listening.
    this.trigger();
  }
}
