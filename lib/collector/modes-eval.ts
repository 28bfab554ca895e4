// Issue 25: a phase's criteria over the time its mode ran. When any process reported a mode in
// the window, divergence and read figures are summed over the spans where every live process
// ran the phase's mode (the rest is "other mode", left out); with no modes reported, as before.
import type { Db } from "../db";
import type { Env } from "../env";
import { evaluatePhases, type PhaseInputs, type PhaseResult } from "../core/phases";
import { modeTime, modesReported, PHASE_MODES, modeWarnings, type LiveMode } from "../core/modes";
import { addFigures, EMPTY_FIGURES, getWindowFigures } from "../store/window-figures";
import { getReadFigures } from "../store/series";
import { toCounts } from "../store/phases";
import { getLegacyReads, getLiveModes, getProcessModes, modeRollbacksBetween } from "../store/modes";
import type { HostScope } from "../store/history";
import type { LegacyReadInputs } from "../core/legacy-reads";
import { LEGACY_QUIET_MS } from "../core/legacy-reads";

/** More spans than this (a mode flapping) are summed as the first ones only: said in the result. */
const MAX_SPANS = 200;

/** Phase `n` of `inputs` (gathered over its window), re-evaluated over its mode's time. */
export async function evaluateInMode(
  db: Db,
  inputs: PhaseInputs,
  n: number,
  base: PhaseResult,
  hosts: HostScope,
): Promise<PhaseResult> {
  const now = Date.parse(inputs.now);
  const from = now - inputs.windowMs;
  const processes = await getProcessModes(db, new Date(from), new Date(now), hosts);
  if (!modesReported(processes)) return base;
  const mode = PHASE_MODES[n]!;
  const t = modeTime(processes, mode, from, now);
  let figures = EMPTY_FIGURES;
  let reads = { reads: 0, fallback: 0, dockerOk: 0, cache: 0, staleCache: 0 };
  for (const [a, b] of t.spans.slice(0, MAX_SPANS)) {
    const [f, r] = await Promise.all([
      getWindowFigures(db, new Date(a), new Date(b - 1), hosts),
      getReadFigures(db, new Date(a), new Date(b - 1), undefined, hosts),
    ]);
    figures = addFigures(figures, f);
    reads = {
      reads: reads.reads + r.reads,
      fallback: reads.fallback + r.fallback,
      dockerOk: reads.dockerOk + r.dockerOk,
      cache: reads.cache + r.cache,
      staleCache: reads.staleCache + r.staleCache,
    };
  }
  const inMode: PhaseInputs = {
    ...inputs,
    counts: toCounts(figures),
    reads,
    coveredMs: Math.min(inputs.coveredMs, t.inModeMs),
  };
  const result = evaluatePhases(inMode)[n]!;
  return {
    ...result,
    mode: { mode, in_mode_ms: t.inModeMs, other_mode_ms: t.otherModeMs, no_process_ms: t.noProcessMs },
  };
}

/**
 * How long after its last snapshot a process still counts as live. On a server a host's
 * processes are heard of with its deliveries: a host not yet stale may be up to its own
 * staleness behind, so that is added.
 */
export const liveModeStaleMs = (cfg: Pick<Env, "instanceStaleMs" | "role" | "server">): number =>
  cfg.instanceStaleMs + (cfg.role === "server" ? cfg.server.hostStaleMs : 0);

/** The live processes' modes, what a review must warn about, and mode rollbacks since `since`. */
export async function modeReport(
  db: Db,
  cfg: Pick<Env, "instanceStaleMs" | "role" | "server">,
  current: number,
  since: Date,
  now: Date,
  hosts: HostScope,
): Promise<{
  live: LiveMode[];
  warnings: string[];
  rollbacks: Awaited<ReturnType<typeof modeRollbacksBetween>>;
}> {
  const [live, rollbacks] = await Promise.all([
    getLiveModes(db, now, liveModeStaleMs(cfg), hosts),
    modeRollbacksBetween(db, since, now, hosts),
  ]);
  return { live, warnings: modeWarnings(live, current), rollbacks };
}

/** Phase 4's legacy-read inputs: every process heard from in the last 28 days. */
export async function legacyReadInputs(db: Db, now: Date, hosts: HostScope): Promise<LegacyReadInputs> {
  const rows = await getLegacyReads(db, new Date(now.getTime() - LEGACY_QUIET_MS), hosts);
  const since = rows.map((r) => r.since.toISOString()).sort()[0] ?? null;
  return {
    countingSince: since,
    sites: rows.flatMap((r) =>
      r.sites.map((s) => ({
        dict: s.dict,
        site: s.site,
        count: s.count,
        last_read: s.last_read.toISOString(),
        instance_id: r.instanceId,
      })),
    ),
  };
}
