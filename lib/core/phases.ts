// ADR-0098's phase criteria as a pure engine: figures for a window in, per-phase criteria out
// with target, actual, status and evidence (each phase's in lib/core/phase-criteria.ts). No I/O,
// no clock: `now` is in the inputs.
import { rate4 } from "./format";
import { phase0, phase1, phase2, phase3, phase4 } from "./phase-criteria";
import { withCertainty } from "./certainty";
import { PHASE_TITLES, type Criterion, type PhaseInputs, type PhaseResult } from "./phase-types";

export * from "./phase-types";
export { rollbackSignal } from "./rollback";

/** Criteria whose evidence gains each host's own figures on a server. */
const PER_HOST = new Set(["divergence_rate", "zero_divergence", "collecting", "no_port_conflicts"]);

function withHosts(c: Criterion, inp: PhaseInputs): Criterion {
  if (inp.byHost.length === 0 || !PER_HOST.has(c.id)) return c;
  const byHost = inp.byHost.map((h) => ({
    host: h.host,
    checks: h.counts.checks,
    diverged: h.counts.diverged,
    rate: h.counts.checks ? rate4(h.counts.diverged / h.counts.checks) : null,
    port_conflicts: h.counts.portConflicts,
    polls: h.counts.polls,
    covered_ms: h.coveredMs,
    last_poll_at: h.counts.lastPollAt,
  }));
  return {
    ...c,
    evidence: { ...c.evidence, details: { fleet: c.evidence.details ?? null, by_host: byHost } },
  };
}

export function evaluatePhases(inp: PhaseInputs): PhaseResult[] {
  const all = [phase0(inp), phase1(inp), phase2(inp), phase3(inp), phase4(inp)].map((cs) =>
    cs.map((c) => withHosts(c, inp)),
  );
  const results = all.map((criteria, phase) => ({
    phase,
    title: PHASE_TITLES[phase]!,
    window: inp.windowLabel,
    ready: criteria.every((c) => c.status === "met"),
    covered_ms: inp.coveredMs,
    criteria,
  }));
  return withCertainty(results, inp);
}

/** The current phase (the latest change, else configuration, else 0) and when each phase started. */
export function phaseState(
  history: readonly { phase: number; started_at: string }[],
  configured: number | undefined,
): { current: number; starts: (string | null)[] } {
  const current = history[0]?.phase ?? configured ?? 0;
  const starts: (string | null)[] = [null, null, null, null, null];
  // History is newest first: the newest change to a phase holds its start.
  for (const h of [...history].reverse()) starts[h.phase] = h.started_at;
  return { current, starts };
}
