import "server-only";
// Phase evaluation: the stored figures for each window, run through the pure criteria engine.
// Shared by the phases and reviews services and by `npm run phase-check`.
import type { Db } from "../db";
import type { Env } from "../env";
import { evaluatePhases, PHASE_WINDOWS, phaseState, rollbackSignal, type PhaseResult } from "../core/phases";
import { gatherPhaseInputs, getPhaseHistory } from "../store/phases";
import type { PhasesReport } from "../contracts/phases";

/** Every phase over `window`, or each over its own length when window is null. */
export async function evaluateAt(
  db: Db,
  cfg: Env,
  window: string | null,
  now: Date,
  dockerWriteAttempts: number,
): Promise<PhasesReport> {
  const history = await getPhaseHistory(db);
  const { current, starts } = phaseState(history, cfg.currentPhase);
  const labels = window ? [window] : [...new Set(PHASE_WINDOWS)];
  const byLabel = new Map<string, PhaseResult[]>();
  for (const l of labels)
    byLabel.set(l, evaluatePhases(await gatherPhaseInputs(db, cfg, l, now, starts, dockerWriteAttempts)));
  const phases = [0, 1, 2, 3, 4].map((n) => byLabel.get(window ?? PHASE_WINDOWS[n]!)![n]!);
  return {
    current_phase: current,
    evaluated_at: now.toISOString(),
    window,
    phase_starts: starts,
    rollback: rollbackSignal(current, phases),
    phases,
    history,
  };
}
