// Issue 24 (sections 1 and 2) on top of the verdicts: each rate criterion gains its interval,
// `settled` and `settle_eta`; each duration criterion its progress and the date it will be met;
// each phase its timeline. The verdict (`status`, `ready`) is never changed here. Pure.
import { isSettled, rateConfidence, settleEta, type BinarySeries, type Comparator } from "./confidence";
import { invalidLabelKinds } from "./adr/labels";
import {
  DIVERGENCE_TARGET,
  FALLBACK_TARGET,
  MIN_COVERAGE,
  STABLE_MS,
  type Criterion,
  type PhaseInputs,
  type PhaseResult,
} from "./phase-types";

export type CertaintyInputs = {
  divergence: BinarySeries;
  dockerOk: BinarySeries;
  fallback: BinarySeries;
  /** Phase 3 regressions in the last 28 days (diverged checks, port conflicts, unrecovered restarts) */
  regressions: { at: string; ended_at: string | null; what: string }[];
  phaseStarts: (string | null)[];
};

export type PhaseTimeline = {
  started_at: string | null;
  regressions: { at: string; ended_at: string | null; what: string }[];
  /** when every criterion would be met if nothing regresses; null when a criterion waits on more than time */
  ready_eta: string | null;
};

const HOUR = 3600_000;

/** One series' observations, in order, as the summary the interval works on. */
export function seriesOf(groups: readonly (readonly boolean[])[]): BinarySeries {
  const s: BinarySeries = { n: 0, x: 0, series: 0, pairs: 0, changes: 0 };
  for (const g of groups) {
    if (g.length === 0) continue;
    s.series += 1;
    s.n += g.length;
    s.pairs += g.length - 1;
    g.forEach((v, i) => {
      if (v) s.x += 1;
      if (i > 0 && g[i - 1] !== v) s.changes += 1;
    });
  }
  return s;
}

/** New containers by project, oldest first, `bad` marking the ones that fail the rule. */
function containerSeries(
  cs: PhaseInputs["newContainers"],
  bad: (c: PhaseInputs["newContainers"][number]) => boolean,
) {
  const by = new Map<string, PhaseInputs["newContainers"]>();
  for (const c of [...cs].sort((a, b) => a.firstSeenAt.localeCompare(b.firstSeenAt)))
    by.set(c.project, [...(by.get(c.project) ?? []), c]);
  return seriesOf([...by.values()].map((g) => g.map(bad)));
}

type RateSpec = { s: BinarySeries; target: number; cmp: Comparator; share?: boolean; unit: string };

function rateSpecs(inp: PhaseInputs, cert: CertaintyInputs): Record<string, RateSpec> {
  const missing = (c: PhaseInputs["newContainers"][number]) => c.labelIssues.includes("labels_missing");
  const validatable = inp.newContainers.filter(
    (c) =>
      (c.labels.includes("com.l9.project_hash") && c.labels.includes("com.l9.project_path")) ||
      c.labels.includes("com.l9.port"),
  );
  const kinds = invalidLabelKinds(inp.labelHashPrefixOk === true);
  const invalid = (c: PhaseInputs["newContainers"][number]) => c.labelIssues.some((k) => kinds.has(k));
  // The interval is centred on the verdict's own figures; the runs give the dependence.
  const on = (s: BinarySeries, n: number, x: number) => (n > 0 ? { ...s, n, x } : s);
  const r = inp.reads;
  return {
    divergence_rate: {
      s: on(cert.divergence, inp.counts.checks, inp.counts.diverged),
      target: DIVERGENCE_TARGET,
      cmp: "below",
      unit: "check",
    },
    docker_success_rate: {
      s: on(cert.dockerOk, r.reads, r.dockerOk),
      target: 0.95,
      cmp: "above",
      unit: "read",
    },
    fallback_rate: {
      s: on(cert.fallback, r.reads, r.fallback),
      target: FALLBACK_TARGET,
      cmp: "below",
      unit: "read",
    },
    // Label coverage: the interval is on the share that passes; the rule is "every one".
    labels_present: {
      s: containerSeries(inp.newContainers, missing),
      target: 1,
      cmp: "all",
      share: true,
      unit: "container",
    },
    labels_valid: {
      s: containerSeries(validatable, invalid),
      target: 1,
      cmp: "all",
      share: true,
      unit: "container",
    },
  };
}

function withRate(c: Criterion, spec: RateSpec, inp: PhaseInputs): Criterion {
  const hours = Math.max(1, Math.ceil(inp.coveredMs / HOUR));
  const conf = rateConfidence(spec.s, spec.s.series * hours);
  if (!conf) return { ...c, confidence: null, settled: false, settle_eta: null };
  // A share is 1 minus the counted rate (the counted outcome is the miss).
  const { n_eff: _n, ...iv } = conf;
  const shown = spec.share ? { ...iv, low: 1 - iv.high, high: 1 - iv.low } : iv;
  const settled = isSettled(shown, spec.target, spec.cmp);
  const eta = settled
    ? null
    : settleEta(
        spec.share ? { ...spec.s, x: spec.s.n - spec.s.x } : spec.s,
        shown,
        spec.target,
        spec.cmp,
        inp.coveredMs,
        inp.now,
        spec.unit,
      );
  return { ...c, confidence: shown, settled, ...(settled ? {} : { settle_eta: eta }) };
}

/** The start of the stable run: Phase 3's start, or the end of its latest regression. */
function stableSince(inp: PhaseInputs, cert: CertaintyInputs): number | null {
  if (!inp.phase3StartedAt) return null;
  let since = Date.parse(inp.phase3StartedAt);
  const now = Date.parse(inp.now);
  for (const r of cert.regressions) since = Math.max(since, r.ended_at ? Date.parse(r.ended_at) : now);
  return since;
}

function withDuration(c: Criterion, inp: PhaseInputs, cert: CertaintyInputs): Criterion {
  const now = Date.parse(inp.now);
  const iso = (ms: number) => new Date(ms).toISOString();
  if (c.id === "collecting") {
    const needed = MIN_COVERAGE * inp.windowMs;
    const done = Math.min(inp.coveredMs, inp.windowMs);
    return {
      ...c,
      progress: { done_s: Math.round(done / 1000), needed_s: Math.round(needed / 1000) },
      met_eta: c.status === "met" ? null : iso(now + Math.max(0, needed - done)),
    };
  }
  if (c.id === "phase3_stable_4w") {
    const since = stableSince(inp, cert);
    const done = since === null ? 0 : Math.max(0, now - since);
    return {
      ...c,
      progress: { done_s: Math.round(done / 1000), needed_s: STABLE_MS / 1000 },
      // "More than 28 days": met the first poll after the 28th day.
      met_eta: c.status === "met" || since === null ? null : iso(Math.max(now, since + STABLE_MS + 1000)),
    };
  }
  return c;
}

const DURATION_IDS = new Set(["collecting", "phase3_stable_4w"]);

function timeline(p: PhaseResult, inp: PhaseInputs, cert: CertaintyInputs): PhaseTimeline {
  const waiting = p.criteria.filter((c) => c.status !== "met");
  const onlyTime = waiting.every((c) => DURATION_IDS.has(c.id) && c.met_eta);
  const etas = waiting.map((c) => c.met_eta ?? "").sort();
  return {
    started_at: cert.phaseStarts[p.phase] ?? null,
    regressions: p.phase === 4 ? cert.regressions : [],
    ready_eta: p.ready ? null : onlyTime ? (etas[etas.length - 1] ?? null) : null,
  };
}

export function withCertainty(results: PhaseResult[], inp: PhaseInputs): PhaseResult[] {
  const cert = inp.certainty;
  if (!cert) return results;
  const specs = rateSpecs(inp, cert);
  return results.map((p) => {
    const criteria = p.criteria.map((c) => {
      const spec = specs[c.id];
      return spec ? withRate(c, spec, inp) : DURATION_IDS.has(c.id) ? withDuration(c, inp, cert) : c;
    });
    const next = { ...p, criteria };
    return { ...next, timeline: timeline(next, inp, cert) };
  });
}

// The words for people live apart (certainty-text.ts): the browser imports them without this engine.
export { certaintyText, unsettledCriteria } from "./certainty-text";
