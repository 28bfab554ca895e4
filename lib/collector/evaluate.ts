// Phase evaluation: the stored figures for each window, run through the pure criteria engine.
// Shared by the phases and reviews services (through lib/services/evaluate.ts), /metrics, the
// notifier and `npm run phase-check` (no "server-only" mark: the runtime and scripts load it).
import type { Db } from "../db";
import type { Env } from "../env";
import { evaluatePhases, PHASE_WINDOWS, phaseState, rollbackSignal, type PhaseResult } from "../core/phases";
import { gatherPhaseInputs, getPhaseHistory } from "../store/phases";
import type { PhasesReport } from "../contracts/phases";
import { LOCAL, type HostScope } from "../store/history";
import { hostNames } from "../store/hosts";
import { withPredictions } from "./predict";
import { evaluateInMode, legacyReadInputs, modeReport } from "./modes-eval";
import { withModeRollback } from "../core/modes";
import type { PhaseInputs } from "../core/phase-types";

/** `?host=a,b`: some hosts only (a server's); empty means all. */
export function hostFilter(search: URLSearchParams | null): string[] {
  return (search?.get("host") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
}

/**
 * Whose rows a figure covers: this machine's own (standalone, agent), or on a server every
 * host that ever sent a poll (`only` narrows it: the `?host=` filter).
 */
export async function hostScope(db: Db, cfg: Env, only: readonly string[] = []): Promise<HostScope> {
  if (cfg.role !== "server") return LOCAL;
  const names = await hostNames(db);
  return only.length ? names.filter((n) => only.includes(n)) : names;
}

/** Every phase over `window`, or each over its own length when window is null. */
export async function evaluateAt(
  db: Db,
  cfg: Env,
  window: string | null,
  now: Date,
  dockerWriteAttempts: number,
  only: readonly string[] = [],
  predict = true,
): Promise<PhasesReport> {
  const [history, hosts] = await Promise.all([getPhaseHistory(db), hostScope(db, cfg, only)]);
  const { current, starts } = phaseState(history, cfg.currentPhase);
  const labels = window ? [window] : [...new Set(PHASE_WINDOWS)];
  const byLabel = new Map<string, PhaseResult[]>();
  const inputs = new Map<string, PhaseInputs>();
  const legacyReads = await legacyReadInputs(db, now, hosts);
  for (const l of labels) {
    const inp = {
      ...(await gatherPhaseInputs(db, cfg, l, now, starts, dockerWriteAttempts, hosts)),
      legacyReads,
    };
    inputs.set(l, inp);
    byLabel.set(l, evaluatePhases(inp));
  }
  // Issue 25: each phase over the time its mode ran, when processes report modes.
  const measured = await Promise.all(
    [0, 1, 2, 3, 4].map((n) => {
      const l = window ?? PHASE_WINDOWS[n]!;
      return evaluateInMode(db, inputs.get(l)!, n, byLabel.get(l)![n]!, hosts);
    }),
  );
  const since = starts[current] ? new Date(starts[current]!) : new Date(now.getTime() - 28 * 86400_000);
  const modes = await modeReport(db, cfg, current, since, now, hosts);
  const phases = predict ? await withPredictions(db, hosts, measured, current, window, now) : measured;
  // The previous phase as it stood at the advance: only "regressed" what was met then.
  const advancedAt = current > 0 ? (starts[current] ?? null) : null;
  const prevFails = phases[current - 1]?.criteria.some((c) => c.status === "not_met") ?? false;
  const atAdvance =
    prevFails && advancedAt && new Date(advancedAt) < now
      ? (evaluatePhases(
          await gatherPhaseInputs(
            db,
            cfg,
            window ?? PHASE_WINDOWS[current - 1]!,
            new Date(advancedAt),
            starts,
            dockerWriteAttempts,
            hosts,
          ),
        )[current - 1] ?? null)
      : null;
  return {
    current_phase: current,
    evaluated_at: now.toISOString(),
    window,
    phase_starts: starts,
    rollback: withModeRollback(
      rollbackSignal(current, phases, atAdvance, advancedAt),
      current,
      modes.rollbacks,
      advancedAt,
    ),
    modes,
    phases,
    history,
  };
}

/** What alerts need of the phases: readiness, criteria met, and the rollback signal. */
export type PhaseSummary = {
  current: number;
  ready: boolean[];
  met: number[];
  criteria: number[];
  rollback: string[] | null;
};

const SUMMARY_EVERY_MS = 60_000;
const g = globalThis as typeof globalThis & {
  __l9PhaseSummary?: { at: number; value: PhaseSummary | null; pending: Promise<void> | null };
};

/**
 * The phase summary, evaluated at most once a minute and in the background, shared by
 * /metrics and the notifier: a caller waits only for the very first evaluation.
 */
export async function phaseSummary(
  db: Db,
  cfg: Env,
  now: Date,
  refusedWrites: number,
): Promise<PhaseSummary | null> {
  const cache = (g.__l9PhaseSummary ??= { at: 0, value: null, pending: null });
  if (now.getTime() - cache.at >= SUMMARY_EVERY_MS && !cache.pending) {
    // Alerts and /metrics read no prediction: the replay is left out of the minute's evaluation.
    cache.pending = evaluateAt(db, cfg, null, now, refusedWrites, [], false)
      .then((r) => {
        cache.value = {
          current: r.current_phase,
          ready: r.phases.map((p) => p.ready),
          met: r.phases.map((p) => p.criteria.filter((c) => c.status === "met").length),
          criteria: r.phases.map((p) => p.criteria.length),
          rollback: r.rollback?.failing ?? null,
        };
        cache.at = now.getTime();
      })
      .catch(() => undefined)
      .finally(() => (cache.pending = null));
    if (!cache.value) await cache.pending;
  }
  return cache.value;
}
