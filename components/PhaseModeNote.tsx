"use client";
// Issue 25: over what time a phase was judged (every live process in its mode) and the mode
// rollbacks since the advance, on the phases page.
import type { PhaseResult } from "@/lib/core/phases";
import type { PhasesReport } from "@/lib/contracts/phases";
import { formatDuration } from "@/lib/core/time";

export function PhaseModeNote({ mode }: { mode: PhaseResult["mode"] }) {
  if (!mode) return null;
  return (
    <p className="muted small" data-testid="phase-mode">
      Judged over {formatDuration(mode.in_mode_ms)} when every live process ran {mode.mode}
      {mode.other_mode_ms ? `; ${formatDuration(mode.other_mode_ms)} other mode (not counted)` : ""}
      {mode.no_process_ms ? `; ${formatDuration(mode.no_process_ms)} with no live process` : ""}.
    </p>
  );
}

export function ModeRollbacks({ modes }: { modes: PhasesReport["modes"] }) {
  if (!modes || (modes.rollbacks.length === 0 && modes.warnings.length === 0)) return null;
  return (
    <div className="banner banner-bad" role="alert" data-testid="mode-rollbacks">
      {modes.warnings.map((w) => (
        <div key={w}>{w}</div>
      ))}
      {modes.rollbacks.map((r) => (
        <div key={`${r.host ?? ""}/${r.instance_id}@${r.at}`}>
          mode rollback at {r.at}: {r.host ? `${r.host}: ` : ""}
          {r.instance_id} went from {r.from ?? "?"} back to {r.to ?? "no mode"}
        </div>
      ))}
    </div>
  );
}
