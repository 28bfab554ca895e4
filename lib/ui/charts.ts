// Chart data from the series endpoint. Pure mappers: components only draw.
import type { SeriesPoint } from "../contracts/overview";
import { CHECK_KINDS, PROJECT_KINDS, type FindingKind } from "../core/types";

export const CHART_KINDS: FindingKind[] = [...CHECK_KINDS, ...PROJECT_KINDS];

// Each point carries its bucket's start as `ms` (a numeric time axis, so annotations fall at
// their own instant); the tick and tooltip text come from the page's clock (lib/ui/clock).

export function ratePoints(points: SeriesPoint[]) {
  return points.map((p) => ({
    ms: Date.parse(p.t),
    rate: p.rate === null ? null : Math.round(p.rate * 10000) / 100,
    checks: p.checks,
    diverged: p.diverged,
  }));
}

export function kindPoints(points: SeriesPoint[]) {
  return points.map((p) => {
    const row: Record<string, number> = { ms: Date.parse(p.t) };
    for (const k of CHART_KINDS) row[k] = p.kinds[k] ?? 0;
    return row;
  });
}

export function fallbackPoints(points: SeriesPoint[]) {
  return points.map((p) => ({
    ms: Date.parse(p.t),
    fallback: p.fallback_rate === null ? null : Math.round(p.fallback_rate * 10000) / 100,
    // Reads nobody answered, on their own line (CONTRACT 6d).
    unanswered: p.reads ? Math.round((p.unanswered / p.reads) * 10000) / 100 : null,
    reads: p.reads,
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

/** A criterion's trend over the window, from the series, or null when it has none. */
export function criterionTrend(
  id: string,
  points: SeriesPoint[],
): { data: { t: string; v: number | null }[]; target: number | null } | null {
  const pick: Record<string, [(p: SeriesPoint) => number | null, number | null]> = {
    divergence_rate: [(p) => (p.rate === null ? null : p.rate * 100), 5],
    zero_divergence: [(p) => (p.checks ? p.diverged : null), 0],
    no_divergence_increase: [(p) => (p.rate === null ? null : p.rate * 100), null],
    fallback_rate: [(p) => (p.fallback_rate === null ? null : p.fallback_rate * 100), 5],
    docker_success_rate: [(p) => (p.docker_ok_rate === null ? null : p.docker_ok_rate * 100), 95],
    no_port_conflicts: [(p) => (p.checks ? (p.kinds.port_conflict ?? 0) : null), 0],
    docker_latency: [(p) => p.latency_ms, 30],
  };
  const f = pick[id];
  if (!f) return null;
  const data = points.map((p) => ({ t: p.t, v: f[0](p) }));
  return data.some((d) => d.v !== null) ? { data, target: f[1] } : null;
}

/**
 * An SVG path for a sparkline: points spread evenly across the width, values scaled between
 * the smallest and largest of the values and the target (gaps joined), and the target's y.
 */
export function sparklinePath(
  data: readonly { v: number | null }[],
  target: number | null,
  width: number,
  height: number,
  pad: number,
): { line: string | null; targetY: number | null } {
  const values = data.map((d) => d.v).filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length === 0) return { line: null, targetY: null };
  const all = target !== null ? [...values, target] : values;
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const span = hi - lo || 1;
  const y = (v: number) => Math.round((height - pad - ((v - lo) / span) * (height - 2 * pad)) * 10) / 10;
  const step = data.length > 1 ? (width - 2 * pad) / (data.length - 1) : 0;
  const parts: string[] = [];
  data.forEach((d, i) => {
    if (d.v === null || !Number.isFinite(d.v)) return;
    parts.push(`${parts.length ? "L" : "M"}${Math.round((pad + i * step) * 10) / 10},${y(d.v)}`);
  });
  return { line: parts.join(" "), targetY: target !== null ? y(target) : null };
}

// Geometry of the time charts (components/TimeChart draws it; no chart library).

const TIME_STEPS_MS = [
  60_000,
  5 * 60_000,
  15 * 60_000,
  30 * 60_000,
  3600_000,
  3 * 3600_000,
  6 * 3600_000,
  12 * 3600_000,
  86400_000,
  2 * 86400_000,
  7 * 86400_000,
  14 * 86400_000,
  30 * 86400_000,
];

/**
 * Tick instants for a time axis: the smallest step from the list giving at most `maxTicks`,
 * aligned to the step in the given zone offset (ms east of UTC; whole days in that zone).
 */
export function timeTicks(from: number, to: number, maxTicks: number, offsetMs = 0): number[] {
  if (!(to > from) || maxTicks < 1) return [];
  const span = to - from;
  const step =
    TIME_STEPS_MS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / 86400_000) * 86400_000;
  const first = Math.ceil((from + offsetMs) / step) * step - offsetMs;
  const out: number[] = [];
  for (let t = first; t <= to && out.length <= maxTicks; t += step) out.push(t);
  return out;
}

/** The top of a value axis: `max` rounded up to a nice number, at least `floor`. */
export function niceTop(max: number, floor = 0): number {
  const m = Math.max(max, floor);
  if (!(m > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(m));
  const nice = [1, 2, 2.5, 5, 10].find((f) => f * mag >= m - 1e-9) ?? 10;
  return nice * mag;
}

/** Value ticks from 0 to `top` at a nice step (4 to 6 of them: 0, 10, 20… not 12.5). */
export function valueTicks(top: number): number[] {
  if (!(top > 0)) return [0];
  const step = niceTop(top / 5);
  const out: number[] = [];
  for (let v = 0; v <= top + step * 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/** An SVG path through the points, broken where a value is null (no line across a gap). */
export function gapPath(points: readonly { x: number; y: number | null }[]): string {
  let d = "";
  let pen = false;
  for (const p of points) {
    if (p.y === null || !Number.isFinite(p.y)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${Math.round(p.x * 10) / 10},${Math.round(p.y * 10) / 10}`;
    pen = true;
  }
  return d;
}

/** The index of the point nearest to `ms` in points sorted by time, or -1 for none. */
export function nearestIndex(points: readonly { ms: number }[], ms: number): number {
  if (points.length === 0) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.ms < ms) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && ms - points[lo - 1]!.ms <= points[lo]!.ms - ms) return lo - 1;
  return lo;
}
