// Known differences: acknowledgements that mute matching findings without hiding them from the
// gate. Pure: which acknowledgement matches a finding at a time, and how many diverged checks
// are explained by acknowledgements alone (the "rate without acknowledged findings").

export type Ack = {
  id: number;
  /** project name or glob: * any run of characters, ? one character */
  project: string;
  source: string | null;
  kind: string | null;
  /** matches when the finding's expected or actual value, as text, equals it */
  value: string | null;
  reason: string;
  owner: string;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
};

type FindingLike = {
  kind: string;
  source?: string;
  expected?: string | number | null;
  actual?: string | number | null;
};

const globs = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = globs.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${body}$`);
    globs.set(glob, re);
  }
  return re;
}

/** In force at `nowMs`: not ended and not yet expired. */
export const inForce = (a: Ack, nowMs: number) => a.endedAt === null && Date.parse(a.expiresAt) > nowMs;

export function matches(a: Ack, project: string, f: FindingLike): boolean {
  if (!globToRegExp(a.project).test(project)) return false;
  if (a.source !== null && a.source !== (f.source ?? "")) return false;
  if (a.kind !== null && a.kind !== f.kind) return false;
  if (a.value !== null) {
    const values = [f.expected, f.actual].filter((v) => v !== undefined && v !== null).map(String);
    if (!values.includes(a.value)) return false;
  }
  return true;
}

/** The first acknowledgement in force that matches the finding, if any. */
export function ackFor(acks: readonly Ack[], project: string, f: FindingLike, nowMs: number): Ack | null {
  for (const a of acks) if (inForce(a, nowMs) && matches(a, project, f)) return a;
  return null;
}

/**
 * Diverged checks whose every finding is acknowledged: what the rate without acknowledged
 * findings leaves out. A check with one unacknowledged finding still counts as diverged.
 */
export function acknowledgedDiverged(
  projects: readonly {
    project: string;
    checks: readonly { status: string; in_flight?: true; findings: readonly FindingLike[] }[];
  }[],
  acks: readonly Ack[],
  nowMs: number,
): number {
  if (acks.length === 0) return 0;
  let n = 0;
  for (const p of projects) {
    for (const c of p.checks) {
      // Issue 25: an in-flight check is not counted diverged, so not acknowledged either.
      if (c.status !== "diverged" || c.in_flight || c.findings.length === 0) continue;
      if (c.findings.every((f) => ackFor(acks, p.project, f, nowMs) !== null)) n += 1;
    }
  }
  return n;
}
