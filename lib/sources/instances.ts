// Orchestrator instances (active_indexers sources): snapshots pushed to the ingest route or
// pulled from L9_ORCHESTRATOR_URLS, each instance's latest snapshot, staleness, restarts and
// their recovery. The pairing and recovery rules are pure (lib/core/instances.ts); this
// adapter owns the records, the pull errors and what is stored.
import type { Db } from "../db";
import type { Env } from "../env";
import type { ApiSource } from "../contracts/state";
import { activeIndexersSnapshotSchema, type ActiveIndexersSnapshot } from "../contracts/ingest";
import {
  applySnapshot,
  isStale,
  pairReplacements,
  recoveredRestarts,
  consistentInstances,
  type InstanceRecord,
  type PendingRestart,
  type RestartEvent,
} from "../core/instances";
import type { ProjectResult, Source } from "../core/types";
import { snapshotEntries } from "./snapshot-entries";
import {
  countRestarts,
  loadInstances,
  pendingRestarts,
  recordReplacements,
  saveInstance,
} from "../store/instances";
import { log } from "../log";
import { FUTURE_TOLERANCE_MS, futureTimeField } from "../core/time";
import { snapshotAdrState } from "./adr-state";
import { decidedByUnion, liveProcesses, UNION_SOURCE } from "../core/adr/orphans";
import { snapshotModes } from "./modes";

/** Stale instances stay listed (as stale) for a day, then leave the sources. */
export { snapshotEntries };

const LIST_STALE_INSTANCES_MS = 24 * 3600_000;

export type IngestResult = { ignored: boolean; restart: RestartEvent | null };

type InstanceConfig = Pick<Env, "orchestratorUrls" | "dockerTimeoutMs" | "instanceStaleMs" | "simulated">;

export class InstanceSource {
  private readonly records = new Map<string, InstanceRecord>();
  private pending: PendingRestart[] = [];
  private restartCounts = new Map<string, number>();
  private readonly pullErrors = new Map<string, { error: string; at: Date }>();

  constructor(
    private readonly db: Db,
    private readonly cfg: InstanceConfig,
    private readonly now: () => Date,
  ) {}

  /** Loads the instances and restarts stored by earlier runs. */
  async load(): Promise<void> {
    for (const rec of await loadInstances(this.db)) this.records.set(rec.instanceId, rec);
    await this.refreshRestarts();
  }

  async ingest(snap: ActiveIndexersSnapshot, via: string): Promise<IngestResult> {
    const receivedAt = this.now();
    const existing = this.records.get(snap.instance_id);
    const input = {
      instanceId: snap.instance_id,
      startedAt: snap.started_at,
      takenAt: snap.taken_at,
      entries: snapshotEntries(snap, existing?.entries),
      ended: snap.ended === true,
      adr: snapshotAdrState(snap),
    };
    const { record, restart, ignored } = applySnapshot(existing, input, receivedAt, via);
    if (ignored) return { ignored, restart: null };
    const change = snapshotModes(snap, record, existing, this.records.values(), receivedAt);
    await saveInstance(this.db, record, restart ? [restart] : [], this.cfg.simulated, change);
    this.records.set(record.instanceId, record);
    if (restart) await this.noteRestarts([restart]);
    if (!existing) {
      log("collector", "info", "new orchestrator instance", {
        instance_id: record.instanceId,
        via,
      });
    }
    if (record.endedAt)
      log("collector", "info", "orchestrator exited cleanly", { instance_id: record.instanceId });
    return { ignored, restart };
  }

  /** Entries held by live (neither stale nor ended) instances other than `instanceId`. */
  heldProjects(instanceId: string, now: Date): number {
    let n = 0;
    for (const rec of this.records.values())
      if (rec.instanceId !== instanceId && !rec.endedAt && !isStale(rec, now, this.cfg.instanceStaleMs))
        n += rec.entries.size;
    return n;
  }

  /** GETs every L9_ORCHESTRATOR_URLS snapshot; a failing URL becomes an unreadable source. */
  async pull(): Promise<void> {
    await Promise.all(this.cfg.orchestratorUrls.map((url) => this.pullOne(url)));
  }

  private async pullOne(url: string): Promise<void> {
    const timeoutMs = this.cfg.dockerTimeoutMs;
    try {
      const res = await fetch(url, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: "application/json" },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const parsed = activeIndexersSnapshotSchema.safeParse(await res.json());
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new Error(`bad snapshot at ${i?.path.join(".") || "(root)"}: ${i?.message}`);
      }
      const future = futureTimeField(parsed.data, this.now());
      if (future)
        throw new Error(
          `bad snapshot at ${future}: more than ${FUTURE_TOLERANCE_MS / 60_000} min ahead of our clock`,
        );
      await this.ingest(parsed.data, `pull:${url}`);
      if (this.pullErrors.delete(url)) {
        log("collector", "info", "orchestrator URL answers again", { url });
      }
    } catch (err) {
      const timedOut = err instanceof Error && err.name === "TimeoutError";
      const error = timedOut
        ? `no answer within ${timeoutMs} ms`
        : err instanceof Error
          ? err.message
          : String(err);
      if (!this.pullErrors.has(url)) log("collector", "warn", "orchestrator URL failed", { url, error });
      this.pullErrors.set(url, { error, at: this.now() });
    }
  }

  /** Instances that went stale and were replaced by a new one: restarts, stored. */
  async detectReplacements(now: Date): Promise<void> {
    const replacements = pairReplacements([...this.records.values()], now, this.cfg.instanceStaleMs).map(
      (r) => {
        // Caught up before the old process was even found stale: recovered at that poll.
        const at = this.firstConsistent.get(consistencyKey(r.instanceId, r.startedAt));
        return at ? { ...r, recoveredAt: at } : r;
      },
    );
    if (replacements.length === 0) return;
    await recordReplacements(this.db, replacements, this.cfg.simulated);
    await this.noteRestarts(replacements);
  }

  private async noteRestarts(restarts: RestartEvent[]): Promise<void> {
    await this.refreshRestarts();
    for (const r of restarts) {
      if (r.reason === "replaced_stale") {
        const prev = this.records.get(r.previousInstanceId);
        if (prev) prev.replacedBy = r.instanceId;
      }
      log("collector", "info", "orchestrator restart", {
        instance_id: r.instanceId,
        previous: r.previousInstanceId,
        reason: r.reason,
      });
    }
  }

  private async refreshRestarts(): Promise<void> {
    this.pending = await pendingRestarts(this.db);
    this.restartCounts = await countRestarts(this.db);
  }

  /** Each process's first poll with all of its checks consistent (by instance and start). */
  private firstConsistent = new Map<string, Date>();

  /** Notes the instances this poll (which reached Docker) shows consistent for the first time. */
  noteConsistent(sources: Source[], projects: ProjectResult[], polledAt: Date): void {
    for (const id of consistentInstances(sources, projects)) {
      const rec = this.records.get(id);
      if (!rec) continue;
      const key = consistencyKey(id, rec.startedAt);
      if (!this.firstConsistent.has(key)) this.firstConsistent.set(key, polledAt);
    }
    // Bounded: only processes we still list matter.
    if (this.firstConsistent.size > 4 * this.records.size + 64) {
      const live = new Set([...this.records.values()].map((r) => consistencyKey(r.instanceId, r.startedAt)));
      for (const k of this.firstConsistent.keys()) if (!live.has(k)) this.firstConsistent.delete(k);
    }
  }

  /** Restarts that this poll's result shows recovered (to be stored with the poll). */
  recovered(sources: Source[], projects: ProjectResult[]): PendingRestart[] {
    return recoveredRestarts(this.pending, sources, projects);
  }

  /** After the poll that recorded them was committed. */
  markRecovered(ids: number[]): void {
    const done = new Set(ids);
    this.pending = this.pending.filter((p) => !done.has(p.id));
  }

  /** One source per instance listed (live, or stale for less than a day), and URL errors. */
  sources(now: Date): { sources: Source[]; apiSources: ApiSource[] } {
    const sources: Source[] = [];
    const apiSources: ApiSource[] = [];
    const staleMs = this.cfg.instanceStaleMs;
    // By start time, so a new instance's column lands after the older ones (not by its random id).
    const recs = [...this.records.values()].sort(
      (a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.instanceId.localeCompare(b.instanceId),
    );
    for (const rec of recs) {
      const silentMs = now.getTime() - rec.lastSeenAt.getTime();
      const stale = isStale(rec, now, staleMs);
      if ((stale || rec.endedAt) && silentMs > LIST_STALE_INSTANCES_MS) continue;
      const id = `active_indexers:${rec.instanceId}`;
      const status = rec.endedAt ? "ended" : stale ? "stale" : "ok";
      sources.push({
        id,
        kind: "active_indexers",
        status,
        entries: status === "ok" ? rec.entries : new Map(),
        // Issue 25: the snapshot's own time decides which checks are in flight.
        takenAtMs: rec.takenAt.getTime(),
        ...(rec.adr ? { adr: rec.adr } : {}),
        ...(status === "ok" ? {} : { held: rec.entries, lastSeenMs: rec.lastSeenAt.getTime() }),
      });
      apiSources.push({
        id,
        kind: "active_indexers",
        status,
        detail: rec.endedAt
          ? `exited cleanly at ${rec.endedAt.toISOString()}`
          : stale
            ? `no snapshot for ${Math.round(silentMs / 1000)} s (stale after ${staleMs / 1000} s)`
            : `${rec.entries.size} indexers`,
        ended_at: rec.endedAt?.toISOString() ?? null,
        last_seen: rec.lastSeenAt.toISOString(),
        started_at: rec.startedAt.toISOString(),
        taken_at: rec.takenAt.toISOString(),
        via: rec.via,
        entries: rec.entries.size,
        restarts: this.restartCounts.get(rec.instanceId) ?? 0,
        replaced_by: rec.replacedBy ? `active_indexers:${rec.replacedBy}` : null,
        mode: rec.modes?.mode ?? null,
        code_version: rec.modes?.codeVersion ?? null,
      });
    }
    // CONTRACT 7a: with two or more live processes, orphans are one column of their union.
    if (decidedByUnion(liveProcesses(sources.filter((s) => s.status === "ok"))))
      apiSources.push({
        id: UNION_SOURCE,
        kind: "active_indexers",
        status: "ok",
        detail: "no live orchestrator: running containers that no live process holds",
      });
    for (const [url, e] of this.pullErrors) {
      apiSources.push({
        id: `orchestrator_url:${url}`,
        kind: "orchestrator_url",
        status: "unreadable",
        detail: url,
        error: e.error,
        last_read_at: e.at.toISOString(),
      });
    }
    return { sources, apiSources };
  }
}

const consistencyKey = (id: string, startedAt: Date) => `${id}@${startedAt.getTime()}`;
