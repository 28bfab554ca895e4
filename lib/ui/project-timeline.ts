// The project page's history as data: the timeline's span (fitted to the findings, so a few
// minutes of them in a 7-day range are not a sliver at the right edge), the episode table's
// order and pages, and the open-findings chart. Pure: `now` is an argument.
import type { ApiEpisode } from "../contracts/state";
import type { ChartSpec } from "./charts";
import { kindLabel } from "./kinds";

/**
 * The span the timeline and the chart draw: the range, or from a little before the first finding
 * to just after now when they all start later than a tenth into it (`fitted`).
 */
export function timelineSpan(
  episodes: ApiEpisode[],
  from: string,
  to: string,
  now: number,
  whole = false,
): { from: number; to: number; now: number; fitted: boolean } {
  const a = Date.parse(from);
  // A live range moves once a minute, on its own timer; the page's clock may pass its end by up
  // to a minute before it moves. Within that minute the span ends at now, so "now" never drops out.
  const end0 = Date.parse(to);
  const b = now > end0 && now - end0 <= 60_000 ? now : end0;
  const first = Math.min(...episodes.map((e) => Date.parse(e.opened_at)));
  const span = b - a;
  if (whole || !Number.isFinite(first) || first - a < span / 10)
    return { from: a, to: b, now, fitted: false };
  // A margin of a tenth of the findings' span (at least 2 s) before the first of them, and after
  // now (the range ends at the next whole minute, up to a minute later).
  const end = Math.min(b, Math.max(now, first) + Math.max(2000, (now - first) / 20));
  const start = Math.max(a, first - Math.max(2000, (end - first) / 10));
  return { from: start, to: end, now, fitted: true };
}

/** Newest first (then the open ones first), so the page shows what happened last at the top. */
export function newestFirst(episodes: ApiEpisode[]): ApiEpisode[] {
  return [...episodes].sort(
    (x, y) =>
      y.opened_at.localeCompare(x.opened_at) ||
      Number(x.closed_at !== null) - Number(y.closed_at !== null) ||
      (x.source ?? "").localeCompare(y.source ?? ""),
  );
}

export const EPISODES_PER_PAGE = 10;

/** One page of a list (0-based, clamped) and what the pager says. */
export function pageOf<T>(
  items: T[],
  page: number,
  size = EPISODES_PER_PAGE,
): { rows: T[]; page: number; pages: number; text: string } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  const rows = items.slice(p * size, p * size + size);
  const text = items.length ? `${p * size + 1}–${p * size + rows.length} of ${items.length}` : "0 of 0";
  return { rows, page: p, pages, text };
}

/** How many findings of each kind were open in each of ~`buckets` buckets of [from, to]: stacked bars. */
export function openFindingsChart(
  episodes: ApiEpisode[],
  from: number,
  to: number,
  now: number,
  buckets = 60,
): ChartSpec {
  const step = Math.max(1000, Math.ceil((to - from) / buckets / 1000) * 1000);
  const kinds = [...new Set(episodes.map((e) => e.kind))].sort();
  const rows: ChartSpec["rows"] = [];
  const samples: ChartSpec["samples"] = {};
  for (let t = from; t < to; t += step) {
    const ms = t + step / 2;
    const row: ChartSpec["rows"][number] = { ms };
    let n = 0;
    for (const k of kinds) {
      const open = episodes.filter(
        (e) =>
          e.kind === k &&
          Date.parse(e.opened_at) < t + step &&
          (e.closed_at ? Date.parse(e.closed_at) : now) >= t,
      ).length;
      row[k] = t > now ? null : open;
      n += open;
    }
    rows.push(row);
    if (t <= now) samples[ms] = `${n} finding${n === 1 ? "" : "s"} open`;
  }
  return {
    from,
    to,
    bucketMs: step,
    rows,
    series: kinds.map((k, i) => ({ key: k, label: kindLabel(k), colour: `var(--c${(i % 8) + 1})` })),
    unit: "",
    minTop: 1,
    target: null,
    outages: [],
    marks: [],
    gaps: [],
    samples,
  };
}
