// Issue 24, 3: each phase after the current one gets `prediction`, replayed from the stored
// history of the window asked for (else the current phase's own window).
import type { Db } from "../db";
import { PHASE_WINDOWS, type PhaseResult } from "../core/phases";
import { predictPhases } from "../core/predict";
import { parseDuration } from "../core/time";
import { getPredictionHistory, PREDICT_BOUND } from "../store/predict";
import type { HostScope } from "../store/history";

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
  const from = new Date(now.getTime() - (parseDuration(label) ?? 7 * 86400_000));
  const byPhase = predictPhases(current, await getPredictionHistory(db, hosts, from, now), PREDICT_BOUND);
  return phases.map((p) => {
    const prediction = byPhase.get(p.phase);
    return prediction ? { ...p, prediction } : p;
  });
}
