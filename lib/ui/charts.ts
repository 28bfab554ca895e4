// Chart data from the series endpoint. Pure mappers: the components (Recharts) only draw what
// these return: rows on a numeric time axis, the series to draw, the target, outages and marks.
import type { ApiSeries, SeriesPoint } from "../contracts/overview";
import { CHECK_KINDS, PROJECT_KINDS, type FindingKind } from "../core/types";
import { kindLabel } from "./kinds";
import { chartTarget, ratioToPct, targetPct } from "./format";
import { gapSpans } from "./chart-marks";

export const CHART_KINDS: FindingKind[] = [...CHECK_KINDS, ...PROJECT_KINDS];

/**
 * A row of a time chart: its bucket's middle as `ms` (so a bar covers its bucket and the pointer
 * picks the bucket it is in), then one value (or a gap) per series.
 */
export type ChartRow = { ms: number } & Record<string, number | null>;
export type ChartSeries = { key: string; label: string; colour: string; dash?: string };
export type ChartMark = { at: number; kind: "restart" | "phase_change" | "mode_rollback"; label: string };

/** Everything one time chart shows; Recharts draws it (components/TimeChart). */
export type ChartSpec = {
  from: number;
  to: number;
  bucketMs: number;
  rows: ChartRow[];
  series: ChartSeries[];
  unit: string;
  /** the value axis reaches at least this */
  minTop: number;
  target: { value: number; label?: string } | null;
  outages: { from: number; to: number }[];
  marks: ChartMark[];
  /** buckets without any poll (no data, not zero), shaded apart from outages */
  gaps: { from: number; to: number }[];
  /** each row's sample size in words, by its `ms` (the tooltip says how much a value rests on) */
  samples: Record<number, string>;
};

const KIND_COLOURS = ["--c1", "--c2", "--c3", "--c4", "--c5", "--c6", "--c7", "--c8"];
const toPct = (r: number | null) => (r === null ? null : Math.round(r * 10000) / 100);

const mid = (p: SeriesPoint, bucketMs: number) => Date.parse(p.t) + bucketMs / 2;

export function ratePoints(points: SeriesPoint[], bucketMs: number): ChartRow[] {
  return points.map((p) => ({ ms: mid(p, bucketMs), rate: toPct(p.rate) }));
}

export function kindPoints(points: SeriesPoint[], bucketMs: number): ChartRow[] {
  return points.map((p) => {
    const row: ChartRow = { ms: mid(p, bucketMs) };
    for (const k of CHART_KINDS) row[k] = p.kinds[k] ?? 0;
    return row;
  });
}

export function fallbackPoints(points: SeriesPoint[], bucketMs: number): ChartRow[] {
  return points.map((p) => ({
    ms: mid(p, bucketMs),
    fallback: toPct(p.fallback_rate),
    // Reads nobody answered, on their own line (CONTRACT 6d).
    unanswered: p.reads ? toPct(p.unanswered / p.reads) : null,
  }));
}

/** Docker outages: runs of buckets with an unreachable poll, as [start, end) in ms. */
export function outageSpans(points: SeriesPoint[], bucketMs: number): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (const p of points) {
    if (p.unreachable_polls === 0) continue;
    const start = Date.parse(p.t);
    const last = out.at(-1);
    if (last && last.to >= start) last.to = start + bucketMs;
    else out.push({ from: start, to: start + bucketMs });
  }
  return out;
}

export const hasChecks = (points: SeriesPoint[]) => points.some((p) => p.checks > 0);
export const hasReads = (points: SeriesPoint[]) => points.some((p) => p.reads > 0);
export const hasKinds = (points: SeriesPoint[]) =>
  points.some((p) => CHART_KINDS.some((k) => (p.kinds[k] ?? 0) > 0));

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
const SAMPLES: Record<"checks" | "polls" | "reads", (p: SeriesPoint) => string> = {
  checks: (p) => `${plural(p.checks, "check")} in ${plural(p.polls, "poll")}`,
  polls: (p) => plural(p.polls, "poll"),
  reads: (p) => plural(p.reads, "read event"),
};

/** What every chart of the range shares: its span, Docker's outages (clipped) and the marks in it. */
function frame(s: ApiSeries, sample: keyof typeof SAMPLES = "polls") {
  const from = Date.parse(s.from);
  const to = Date.parse(s.to);
  return {
    from,
    to,
    bucketMs: s.bucket_ms,
    outages: outageSpans(s.points, s.bucket_ms).map((o) => ({ from: o.from, to: Math.min(o.to, to) })),
    marks: s.annotations
      .map((a) => ({ at: Date.parse(a.at), kind: a.kind, label: a.label }))
      .filter((m) => m.at >= from && m.at <= to),
    gaps: gapSpans(s.points, s.bucket_ms).map((g) => ({
      from: Math.max(g.from, from),
      to: Math.min(g.to, to),
    })),
    samples: Object.fromEntries(s.points.map((p) => [mid(p, s.bucket_ms), SAMPLES[sample](p)])),
  };
}

export function divergenceChart(s: ApiSeries): ChartSpec {
  return {
    ...frame(s, "checks"),
    rows: ratePoints(s.points, s.bucket_ms),
    series: [{ key: "rate", label: "divergence", colour: "var(--accent)" }],
    unit: "%",
    minTop: 10,
    target: {
      value: ratioToPct(s.targets.divergence_rate),
      label: `${targetPct(s.targets.divergence_rate)} target`,
    },
  };
}

/** Stacked bars of the kinds this range has only, each kind its own colour (--c1 to --c8). */
export function kindsChart(s: ApiSeries): ChartSpec {
  const present = CHART_KINDS.filter((k) => s.points.some((p) => (p.kinds[k] ?? 0) > 0));
  return {
    ...frame(s),
    rows: kindPoints(s.points, s.bucket_ms),
    series: present.map((k) => ({
      key: k,
      label: kindLabel(k),
      colour: `var(${KIND_COLOURS[CHART_KINDS.indexOf(k) % KIND_COLOURS.length]})`,
    })),
    unit: "",
    minTop: 0,
    target: null,
  };
}

export function fallbackChart(s: ApiSeries): ChartSpec {
  return {
    ...frame(s, "reads"),
    rows: fallbackPoints(s.points, s.bucket_ms),
    series: [
      { key: "fallback", label: "fallback", colour: "var(--warn)" },
      { key: "unanswered", label: "answered by nobody", colour: "var(--bad)", dash: "2 2" },
    ],
    unit: "%",
    minTop: 10,
    target: { value: ratioToPct(s.targets.fallback_rate) },
  };
}

/** The start of the bucket whose row sits at `ms`, and the outages and marks in it, in words. */
export function bucketAt(
  spec: Pick<ChartSpec, "bucketMs" | "outages" | "marks"> & Partial<Pick<ChartSpec, "gaps">>,
  ms: number,
): { start: number; marks: string[] } {
  const start = ms - spec.bucketMs / 2;
  const end = start + spec.bucketMs;
  return {
    start,
    marks: [
      ...(spec.gaps ?? []).filter((g) => g.from < end && g.to > start).map(() => "no data: nothing polled"),
      ...spec.outages.filter((o) => o.from < end && o.to > start).map(() => "Docker unreachable"),
      ...spec.marks.filter((m) => m.at >= start && m.at < end).map((m) => m.label),
    ],
  };
}

/** A value as the tooltip reads it: two decimals at most, with its unit; a gap is a dash. */
export const chartValue = (v: number | null | undefined, unit: string) =>
  v === null || v === undefined ? "—" : `${Math.round(v * 100) / 100}${unit}`;

/** A sparkline's box (components/Sparkline holds it while Recharts loads). */
export const SPARK_SIZE = { width: 140, height: 34 };

/** A criterion's trend over the window, from the series, against its target from the API; null when it has none. */
export function criterionTrend(
  c: { id: string; target_value?: number; unit?: "ratio" | "count" | "ms" },
  points: SeriesPoint[],
): { data: { t: string; v: number | null }[]; target: number | null } | null {
  const pick: Record<string, (p: SeriesPoint) => number | null> = {
    divergence_rate: (p) => (p.rate === null ? null : p.rate * 100),
    zero_divergence: (p) => (p.checks ? p.diverged : null),
    no_divergence_increase: (p) => (p.rate === null ? null : p.rate * 100),
    fallback_rate: (p) => (p.fallback_rate === null ? null : p.fallback_rate * 100),
    docker_success_rate: (p) => (p.docker_ok_rate === null ? null : p.docker_ok_rate * 100),
    no_port_conflicts: (p) => (p.checks ? (p.kinds.port_conflict ?? 0) : null),
    docker_latency: (p) => p.latency_ms,
  };
  const f = pick[c.id];
  if (!f) return null;
  const data = points.map((p) => ({ t: p.t, v: f(p) }));
  return data.some((d) => d.v !== null) ? { data, target: chartTarget(c) } : null;
}
