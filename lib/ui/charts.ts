// Chart data from the series endpoint. Pure mappers: components only draw.
import type { SeriesPoint } from "../contracts/overview";
import { CHECK_KINDS, PROJECT_KINDS, type FindingKind } from "../core/types";

export const CHART_KINDS: FindingKind[] = [...CHECK_KINDS, ...PROJECT_KINDS];

export function tickLabel(iso: string, bucketMs: number): string {
  const d = new Date(iso);
  if (bucketMs >= 3 * 3600_000) return d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
  return d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

export function ratePoints(points: SeriesPoint[], bucketMs: number) {
  return points.map((p) => ({ t: tickLabel(p.t, bucketMs), at: p.t, rate: p.rate === null ? null : Math.round(p.rate * 10000) / 100, checks: p.checks, diverged: p.diverged }));
}

export function kindPoints(points: SeriesPoint[], bucketMs: number) {
  return points.map((p) => {
    const row: Record<string, number | string> = { t: tickLabel(p.t, bucketMs), at: p.t };
    for (const k of CHART_KINDS) row[k] = p.kinds[k] ?? 0;
    return row;
  });
}

export function fallbackPoints(points: SeriesPoint[], bucketMs: number) {
  return points.map((p) => ({ t: tickLabel(p.t, bucketMs), at: p.t, fallback: p.fallback_rate === null ? null : Math.round(p.fallback_rate * 10000) / 100, reads: p.reads }));
}

export const hasChecks = (points: SeriesPoint[]) => points.some((p) => p.checks > 0);
export const hasReads = (points: SeriesPoint[]) => points.some((p) => p.reads > 0);
export const hasKinds = (points: SeriesPoint[]) => points.some((p) => CHART_KINDS.some((k) => (p.kinds[k] ?? 0) > 0));
