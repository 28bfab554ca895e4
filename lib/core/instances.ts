// Orchestrator instances (active_indexers sources): staleness and restarts, pure.
import type { Mode } from "./modes";
import type { ProjectResult, Source, SourceEntry } from "./types";
import { FUTURE_TOLERANCE_MS } from "./time";
import type { ProcessAdrState } from "./adr/types";
import { UNION_SOURCE } from "./adr/orphans";

export type InstanceRecord = {
  instanceId: string;
  startedAt: Date;
  firstSeenAt: Date;
  /** when we last received a snapshot (our clock, so sender clock skew cannot hide silence) */
  lastSeenAt: Date;
  takenAt: Date;
  via: string;
  entries: Map<string, SourceEntry>;
  replacedBy: string | null;
  /** when its process said it exits cleanly (CONTRACT 6b); an ended instance is never stale */
  endedAt: Date | null;
  /** CONTRACT 7b, 7c: stopped_indexers and allocated_ports of the latest snapshot */
  adr?: ProcessAdrState;
  /** issue 25: the latest snapshot's mode, code version and legacy-read counts (JSON as sent) */
  modes?: { mode: Mode | null; codeVersion: string | null; legacyReads: string | null };
};

export type RestartEvent = {
  instanceId: string;
  previousInstanceId: string;
  previousStartedAt: Date | null;
  startedAt: Date;
  detectedAt: Date;
  reason: "new_started_at" | "replaced_stale";
  /** set when the new process was already consistent before the restart was detected */
  recoveredAt?: Date;
};

export type SnapshotInput = {
  instanceId: string;
  startedAt: Date;
  takenAt: Date;
  entries: Map<string, SourceEntry>;
  /** the process's last snapshot: it exits cleanly */
  ended?: boolean;
  adr?: ProcessAdrState;
};

/** Silent past the threshold. A process that exited cleanly is ended, not stale. */
export function isStale(rec: InstanceRecord, now: Date, staleMs: number): boolean {
  return rec.endedAt === null && now.getTime() - rec.lastSeenAt.getTime() > staleMs;
}

/**
 * Applies a snapshot to what we knew of its instance. A snapshot older than the one we hold
 * (delivered out of order) is ignored, and so is any snapshot of a process after its end. A
 * new started_at is a restart, unless the previous process ended cleanly (CONTRACT 6b).
 */
export function applySnapshot(
  held: InstanceRecord | undefined,
  snap: SnapshotInput,
  receivedAt: Date,
  via: string,
): { record: InstanceRecord; restart: RestartEvent | null; ignored: boolean } {
  // A record whose times lie in our future (stored before such snapshots were refused) would
  // outrank every real snapshot for good: the next real one replaces it, as a first snapshot.
  const future = receivedAt.getTime() + FUTURE_TOLERANCE_MS;
  const poisoned = held && (held.takenAt.getTime() > future || held.startedAt.getTime() > future);
  const existing = poisoned ? undefined : held;
  if (
    existing &&
    existing.startedAt.getTime() === snap.startedAt.getTime() &&
    (snap.takenAt.getTime() < existing.takenAt.getTime() || existing.endedAt !== null)
  ) {
    return { record: existing, restart: null, ignored: true };
  }
  const newProcess = existing !== undefined && snap.startedAt.getTime() > existing.startedAt.getTime();
  const restarted = newProcess && existing.endedAt === null;
  if (existing && !newProcess && existing.startedAt.getTime() !== snap.startedAt.getTime()) {
    // An older process's late snapshot: keep the newer process's state.
    return { record: existing, restart: null, ignored: true };
  }
  const record: InstanceRecord = {
    instanceId: snap.instanceId,
    startedAt: snap.startedAt,
    firstSeenAt: held?.firstSeenAt ?? receivedAt,
    lastSeenAt: receivedAt,
    takenAt: snap.takenAt,
    via,
    entries: snap.entries,
    replacedBy: held?.replacedBy ?? null,
    endedAt: snap.ended ? receivedAt : null,
    ...(snap.adr ? { adr: snap.adr } : {}),
  };
  const restart: RestartEvent | null = restarted
    ? {
        instanceId: snap.instanceId,
        previousInstanceId: snap.instanceId,
        previousStartedAt: existing.startedAt,
        startedAt: snap.startedAt,
        detectedAt: receivedAt,
        reason: "new_started_at",
      }
    : null;
  return { record, restart, ignored: false };
}

/**
 * A new instance_id replacing one that went stale is a restart. Each stale instance not yet
 * replaced is paired with a live instance first heard from after it went silent, that replaces
 * nobody else and is not plainly another project's process (CONTRACT 7a): first one whose process
 * started (its own started_at, allowing CLOCK_SLACK_MS of skew) after the stale one's last
 * snapshot, the one that started closest to it; failing that, the first one seen after it.
 */
const CLOCK_SLACK_MS = 5000;

export function pairReplacements(records: InstanceRecord[], now: Date, staleMs: number): RestartEvent[] {
  const replacing = new Set(records.map((r) => r.replacedBy).filter((x): x is string => x !== null));
  // Ended processes exited cleanly: they are neither replaced (never crashed) nor replacements.
  const live = records.filter((r) => r.endedAt === null && !isStale(r, now, staleMs));
  // The most recently silent first: the process that just died is the likeliest one replaced.
  const stale = records
    .filter((r) => isStale(r, now, staleMs) && r.replacedBy === null)
    .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
  const out: RestartEvent[] = [];
  for (const s of stale) {
    const last = s.lastSeenAt.getTime();
    // A process we heard from while the silent one still answered ran beside it: not its restart.
    const free = live.filter((r) => !replacing.has(r.instanceId) && r.firstSeenAt.getTime() >= last);
    const byStart = free
      .filter((r) => r.startedAt.getTime() >= last - CLOCK_SLACK_MS)
      .sort((a, b) => Math.abs(a.startedAt.getTime() - last) - Math.abs(b.startedAt.getTime() - last));
    const bySeen = free
      .filter((r) => r.firstSeenAt.getTime() >= last)
      .sort((a, b) => a.firstSeenAt.getTime() - b.firstSeenAt.getTime());
    // CONTRACT 7a: each process holds its own projects, so a process that already holds (or
    // lists as stopped) only projects the silent one never had is another project's process.
    const had = projectsOf(s);
    const takesOver = (r: InstanceRecord) => {
      const mine = projectsOf(r);
      return had.size === 0 || mine.size === 0 || [...mine].some((p) => had.has(p));
    };
    const y = byStart.find(takesOver) ?? bySeen.find(takesOver);
    if (!y) continue;
    replacing.add(y.instanceId);
    out.push({
      instanceId: y.instanceId,
      previousInstanceId: s.instanceId,
      previousStartedAt: s.startedAt,
      startedAt: y.startedAt,
      detectedAt: now,
      reason: "replaced_stale",
    });
  }
  return out;
}

/** The projects an instance holds or lists as stopped (CONTRACT 7b). */
function projectsOf(r: InstanceRecord): Set<string> {
  const out = new Set(r.entries.keys());
  for (const p of r.adr?.stopped?.keys() ?? []) out.add(p);
  return out;
}

/** A restart not yet recovered: stored with an id, for the instance that replaced the old one. */
export type PendingRestart = { id: number; instanceId: string };

/**
 * Phase 3's recovery rule: a restart has recovered at the first poll where the new instance's
 * source is `ok` and every one of its checks is consistent.
 */
export function recoveredRestarts(
  pending: readonly PendingRestart[],
  sources: readonly Source[],
  projects: readonly ProjectResult[],
): PendingRestart[] {
  const consistent = consistentInstances(sources, projects);
  return pending.filter((p) => consistent.has(p.instanceId));
}

/**
 * The instances whose source is `ok` and all of whose checks are consistent in this poll's
 * result (the poll must have reached Docker: without checks nothing is shown consistent).
 */
export function consistentInstances(
  sources: readonly Source[],
  projects: readonly ProjectResult[],
): Set<string> {
  const bad = new Set<string>();
  for (const proj of projects) for (const c of proj.checks) if (c.status !== "consistent") bad.add(c.source);
  const out = new Set<string>();
  // CONTRACT 7a: an orphan no live process holds means no restart has caught up yet.
  if (bad.has(UNION_SOURCE)) return out;
  for (const s of sources)
    if (s.kind === "active_indexers" && s.status === "ok" && !bad.has(s.id))
      out.add(s.id.slice("active_indexers:".length));
  return out;
}

/**
 * How long a restart took to recover: from the new process's start (it reports its own
 * `started_at`) to the first poll where it was consistent. The same figure on every screen.
 * Measured from the detection instead, a restart found late (the old process went stale after
 * the new one had caught up) would read 0 ms.
 */
export function recoveryMs(r: { startedAt: string; recoveredAt: string | null }): number | null {
  return r.recoveredAt ? Math.max(0, Date.parse(r.recoveredAt) - Date.parse(r.startedAt)) : null;
}
