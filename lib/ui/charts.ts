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
