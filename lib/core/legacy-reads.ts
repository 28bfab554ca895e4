// Issue 25, Phase 4: "no legacy reads for 28 days". The exporter (count_reads=True) counts every
// read of active_indexers and container_registry by call site; the dicts can go only when nothing
// read them for 28 days of counting. Pure: the counts and `now` are arguments.
import type { Criterion } from "./phase-types";

export const LEGACY_QUIET_MS = 28 * 86400_000;

export type LegacyReadSite = {
  dict: string;
  site: string;
  count: number;
  last_read: string;
  instance_id: string;
};

/** What the processes sent: the earliest start of counting (null: nobody counts) and every call site. */
export type LegacyReadInputs = { countingSince: string | null; sites: LegacyReadSite[] };

export function legacyReadsCriterion(inp: LegacyReadInputs | undefined, nowIso: string): Criterion {
  const base = {
    id: "no_legacy_reads",
    title: "Nothing reads active_indexers or container_registry any more",
    target: "no reads for 28 days of counting",
    target_value: 0,
    unit: "count" as const,
  };
  const now = Date.parse(nowIso);
  const since = inp?.countingSince ? Date.parse(inp.countingSince) : null;
  const recent = (inp?.sites ?? [])
    .filter((s) => now - Date.parse(s.last_read) <= LEGACY_QUIET_MS)
    .sort((a, b) => b.last_read.localeCompare(a.last_read) || a.site.localeCompare(b.site));
  const reads = recent.reduce((n, s) => n + s.count, 0);
  const details = recent.map((s) => ({
    dict: s.dict,
    site: s.site,
    count: s.count,
    last_read_at: s.last_read,
    instance: s.instance_id,
  }));
  if (recent.length > 0)
    return {
      ...base,
      actual: reads,
      status: "not_met",
      evidence: {
        summary: `${recent.length} call site${recent.length === 1 ? "" : "s"} still read the legacy dicts (${reads} reads counted; latest ${recent[0]!.last_read})`,
        details,
      },
    };
  if (since === null || now - since < LEGACY_QUIET_MS)
    return {
      ...base,
      actual: since === null ? null : 0,
      status: "insufficient_data",
      evidence: {
        summary:
          since === null
            ? "no process counts its legacy reads (exporter: track(orchestrator, count_reads=True))"
            : `counting since ${inp!.countingSince}: ${((now - since) / 86400_000).toFixed(1)} days, no reads`,
        minimum: "28 days of counting",
      },
    };
  return {
    ...base,
    actual: 0,
    status: "met",
    evidence: { summary: `no legacy reads since counting started ${inp!.countingSince}` },
  };
}
