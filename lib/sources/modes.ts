// Issue 25: a snapshot's mode, code version and legacy-read counts onto its instance record,
// and the mode change to store with it (a rollback among them). The rule is lib/core/modes.ts.
import type { ActiveIndexersSnapshot } from "../contracts/ingest";
import type { InstanceRecord } from "../core/instances";
import { modeChange, type Mode } from "../core/modes";

export type ModeChangeRow = {
  at: Date;
  mode: Mode | null;
  previousMode: Mode | null;
  codeVersion: string | null;
  rollback: boolean;
};

/** Sets `record.modes` (a new record of applySnapshot's) and says what changed, if anything. */
export function snapshotModes(
  snap: Pick<ActiveIndexersSnapshot, "mode" | "code_version" | "legacy_reads">,
  record: InstanceRecord,
  existing: InstanceRecord | undefined,
  all: Iterable<InstanceRecord>,
  at: Date,
): ModeChangeRow | undefined {
  const next = { mode: snap.mode ?? null, codeVersion: snap.code_version ?? null };
  record.modes = {
    ...next,
    legacyReads: snap.legacy_reads ? JSON.stringify(snap.legacy_reads) : null,
  };
  const others = [...all]
    .filter((r) => r.instanceId !== record.instanceId)
    .map((r) => ({
      mode: r.modes?.mode ?? null,
      codeVersion: r.modes?.codeVersion ?? null,
      lastSeenMs: r.lastSeenAt.getTime(),
    }));
  const own = existing?.modes ? { mode: existing.modes.mode, codeVersion: existing.modes.codeVersion } : null;
  const change = modeChange(own, others, next);
  return change ? { at, ...next, ...change } : undefined;
}
