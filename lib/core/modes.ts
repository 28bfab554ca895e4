// Issue 25: which code each process runs. The orchestrator's mode per ADR-0098 phase, a mode
// change that goes back (a rollback), the time when every live process ran a phase's mode, and
// what a review of an advance must warn about. Pure: no I/O, times are arguments.
import type { RollbackSignal } from "./rollback";

export const MODES = ["dict_first", "docker_first", "write_through", "docker_only"] as const;
export type Mode = (typeof MODES)[number];

/** The mode each phase's code runs: phases 0 and 1 still read the dict first. */
export const PHASE_MODES: readonly Mode[] = [
  "dict_first",
  "dict_first",
  "docker_first",
  "write_through",
  "docker_only",
];

export const modeRank = (m: Mode): number => MODES.indexOf(m);

export function isMode(v: unknown): v is Mode {
  return typeof v === "string" && (MODES as readonly string[]).includes(v);
}

export type ModeTransition = "first" | "same" | "advance" | "rollback";

/**
 * A process's mode against the one before it: its own last mode, else (a new process) the mode
 * the host's latest other process reported. Going to an earlier mode is a rollback.
 */
export function modeTransition(before: Mode | null, next: Mode | null): ModeTransition {
  if (next === null || before === null) return "first";
  const d = modeRank(next) - modeRank(before);
  return d === 0 ? "same" : d > 0 ? "advance" : "rollback";
}

/** One process's life as we heard it, with each mode it reported from a time on. */
export type ProcessModes = {
  instanceId: string;
  /** first snapshot received .. last snapshot received (or its clean end), ms */
  liveFrom: number;
  liveTo: number;
  /** in time order; before the first one the mode is unknown */
  changes: { at: number; mode: Mode | null }[];
};

export type ModeTime = {
  mode: Mode;
  /** [from, to) spans (ms) when at least one process was live and every live one ran `mode` */
  spans: [number, number][];
  inModeMs: number;
  /** some live process ran another mode, or reported none */
  otherModeMs: number;
  /** no process was live: nothing says which code ran */
  noProcessMs: number;
};

function modeAt(p: ProcessModes, t: number): Mode | null {
  let m: Mode | null = null;
  for (const c of p.changes) if (c.at <= t) m = c.mode;
  return m;
}

/** The window [from, to) split by what the live processes ran, against `mode`. */
export function modeTime(processes: readonly ProcessModes[], mode: Mode, from: number, to: number): ModeTime {
  const cuts = new Set<number>([from, to]);
  for (const p of processes) {
    for (const t of [p.liveFrom, p.liveTo, ...p.changes.map((c) => c.at)])
      if (t > from && t < to) cuts.add(t);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: ModeTime = { mode, spans: [], inModeMs: 0, otherModeMs: 0, noProcessMs: 0 };
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const live = processes.filter((p) => p.liveFrom <= a && p.liveTo > a);
    if (live.length === 0) {
      out.noProcessMs += b - a;
    } else if (live.every((p) => modeAt(p, a) === mode)) {
      out.inModeMs += b - a;
      const last = out.spans[out.spans.length - 1];
      if (last && last[1] === a) last[1] = b;
      else out.spans.push([a, b]);
    } else out.otherModeMs += b - a;
  }
  return out;
}

/** Whether any process in the window reported a mode: if none did, phases are evaluated as before. */
export function modesReported(processes: readonly ProcessModes[]): boolean {
  return processes.some((p) => p.changes.some((c) => c.mode !== null));
}

export type LiveMode = { instance_id: string; host?: string; mode: Mode | null; code_version: string | null };

/**
 * What a review of an advance to `phase` must say, in red: processes running mixed modes, or a
 * mode behind the one the recorded phase (`current`) runs. Empty when all is as recorded.
 */
export function modeWarnings(live: readonly LiveMode[], current: number): string[] {
  const reported = live.filter((l): l is LiveMode & { mode: Mode } => l.mode !== null);
  if (reported.length === 0) return [];
  const out: string[] = [];
  const distinct = [...new Set(reported.map((l) => l.mode))].sort((a, b) => modeRank(a) - modeRank(b));
  const unreported = live.length - reported.length;
  if (distinct.length > 1 || unreported > 0)
    out.push(
      `processes run mixed modes: ${distinct
        .map((m) => `${reported.filter((l) => l.mode === m).length} ${m}`)
        .join(", ")}${unreported ? `, ${unreported} not reporting a mode` : ""}`,
    );
  const expected = PHASE_MODES[current];
  if (expected) {
    const behind = reported.filter((l) => modeRank(l.mode) < modeRank(expected));
    if (behind.length)
      out.push(
        `${behind.length} of ${live.length} processes run a mode behind Phase ${current}'s ${expected}: ${behind
          .map((l) => `${l.host ? `${l.host}/` : ""}${l.instance_id} (${l.mode})`)
          .join(", ")}`,
      );
  }
  return out;
}

export type ModeState = { mode: Mode | null; codeVersion: string | null };

/**
 * What to record when a snapshot arrives: nothing when its mode and version are as before;
 * else the mode before it (its own, or for a process new to us the host's latest other
 * process's) and whether going from it is a rollback.
 */
export function modeChange(
  own: ModeState | null,
  others: readonly (ModeState & { lastSeenMs: number })[],
  next: ModeState,
): { previousMode: Mode | null; rollback: boolean } | null {
  if (own && own.mode === next.mode && own.codeVersion === next.codeVersion) return null;
  if (!own && next.mode === null && next.codeVersion === null) return null;
  let previousMode = own?.mode ?? null;
  if (previousMode === null) {
    const latest = others
      .filter((o) => o.mode !== null)
      .reduce<(ModeState & { lastSeenMs: number }) | null>(
        (best, o) => (best && best.lastSeenMs >= o.lastSeenMs ? best : o),
        null,
      );
    previousMode = latest?.mode ?? null;
  }
  return { previousMode, rollback: modeTransition(previousMode, next.mode) === "rollback" };
}

/** The rollback signal, with `mode_rollback` when a process went back to an earlier mode since the advance. */
export function withModeRollback(
  signal: RollbackSignal | null,
  current: number,
  rollbacks: readonly unknown[],
  advancedAt: string | null = null,
): RollbackSignal | null {
  if (current === 0 || rollbacks.length === 0) return signal;
  return {
    phase: current,
    failing: [...(signal?.failing ?? []), "mode_rollback"],
    // A process went back after the advance: a regression by definition.
    criteria: [
      ...(signal?.criteria ?? []),
      { id: "mode_rollback", title: MODE_ROLLBACK_TITLE, at_advance: "met" },
    ],
    advanced_at: signal?.advanced_at ?? advancedAt,
  };
}

export const MODE_ROLLBACK_TITLE =
  "every process on this phase's code (a process went back to an earlier mode)";
