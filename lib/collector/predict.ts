// Issue 24, 3: each phase after the current one gets `prediction`, replayed from the stored
// history of the window asked for (else the current phase's own window). The replay reads a
// sample of every host's window (lib/store/predict.ts): at 200 hosts that is seconds of work,
// so it runs at most once a minute per database, host scope, window and current phase, and
// requests that arrive meanwhile share it (`replayed_at` says when it ran).
import type { Db } from "../db";
import { PHASE_WINDOWS, type PhaseResult } from "../core/phases";
import { predictPhases } from "../core/predict";
import type { Prediction } from "../core/predict/types";
import { parseDuration } from "../core/time";
import { getPredictionHistory, PREDICT_BOUND } from "../store/predict";
import type { HostScope } from "../store/history";

/** How long a replay is reused. */
export const PREDICT_REUSE_MS = 60_000;
/** Replays kept per database (host filters and windows), the oldest dropped first. */
const MAX_KEPT = 32;

type Replay = { atMs: number; byPhase: Promise<Map<number, Prediction>> };
const replays = new WeakMap<Db, Map<string, Replay>>();

function replay(db: Db, hosts: HostScope, current: number, label: string, now: Date) {
  let kept = replays.get(db);
  if (!kept) replays.set(db, (kept = new Map()));
  const key = `${current}|${label}|${hosts.join("\u0000")}`;
  const hit = kept.get(key);
  const nowMs = now.getTime();
  if (hit && nowMs >= hit.atMs && nowMs - hit.atMs < PREDICT_REUSE_MS) return hit;
  const from = new Date(nowMs - (parseDuration(label) ?? 7 * 86400_000));
  const byPhase = getPredictionHistory(db, hosts, from, now).then((h) =>
    predictPhases(current, h, PREDICT_BOUND),
  );
  const entry = { atMs: nowMs, byPhase };
  kept.delete(key);
  kept.set(key, entry);
  // A failed replay is not reused.
  byPhase.catch(() => kept.get(key) === entry && kept.delete(key));
  for (const k of kept.keys()) {
    if (kept.size <= MAX_KEPT) break;
    kept.delete(k);
  }
  return entry;
}

export async function withPredictions(
  db: Db,
  hosts: HostScope,
  phases: PhaseResult[],
  current: number,
  window: string | null,
  now: Date,
): Promise<PhaseResult[]> {
  if (current >= 3) return phases;
  const label = window ?? PHASE_WINDOWS[current] ?? "7d";
  const { atMs, byPhase } = replay(db, hosts, current, label, now);
  const predictions = await byPhase;
  const replayedAt = new Date(atMs).toISOString();
  return phases.map((p) => {
    const prediction = predictions.get(p.phase);
    return prediction ? { ...p, prediction: { ...prediction, replayed_at: replayedAt } } : p;
  });
}
