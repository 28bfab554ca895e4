// View state <-> URL query, so a link reproduces the view. Pure.
import { FINDING_KINDS, type FindingKind, type Health } from "../core/types";
import type { MatrixFilters, MatrixSort, SortKey } from "./matrix";
import { parseDuration, parseInstant } from "../core/time";

export const RANGE_PRESETS = ["1h", "6h", "12h", "24h", "7d", "30d"] as const;
/** Grafana's quick relative ranges beyond the presets: a duration each, as `range=` takes it. */
export const QUICK_RANGES: readonly [string, string][] = [
  ["5m", "Last 5 minutes"],
  ["15m", "Last 15 minutes"],
  ["30m", "Last 30 minutes"],
  ["3h", "Last 3 hours"],
  ["2d", "Last 2 days"],
  ["14d", "Last 14 days"],
];
const HEALTHS: Health[] = ["consistent", "warning", "diverged", "unknown"];
const SORTS: SortKey[] = ["project", "health", "since", "findings"];

export type ViewState = {
  /** a server's host to narrow every figure to ("" = all hosts) */
  host: string;
  range: string;
  from: string | null;
  to: string | null;
  refresh: number;
  filters: MatrixFilters;
  sort: MatrixSort;
};

/** A change to the view: any fields, filters and sort merged into the current ones. */
export type ViewPatch = Partial<Omit<ViewState, "filters" | "sort">> & {
  filters?: Partial<MatrixFilters>;
  sort?: Partial<MatrixSort>;
};

type Params = { get: (k: string) => string | null };

export function readView(p: Params, defaults: { refresh: number }): ViewState {
  const health = p.get("health") ?? "";
  const kind = p.get("kind") ?? "";
  const sort = p.get("sort") ?? "health";
  const refresh = Number(p.get("refresh") ?? defaults.refresh);
  const host = p.get("host") ?? "";
  return {
    host: /^[A-Za-z0-9_.-]{1,64}$/.test(host) ? host : "",
    range: p.get("range") ?? "24h",
    from: p.get("from"),
    to: p.get("to"),
    refresh: Number.isFinite(refresh) && refresh >= 0 ? refresh : defaults.refresh,
    filters: {
      health: (HEALTHS as string[]).includes(health) ? (health as Health) : "",
      kind: (FINDING_KINDS as readonly string[]).includes(kind) ? (kind as FindingKind) : "",
      source: p.get("source") ?? "",
      labels: p.get("labels") === "1",
      q: p.get("q") ?? "",
    },
    sort: {
      key: (SORTS as string[]).includes(sort) ? (sort as SortKey) : "health",
      dir: p.get("dir") === "desc" ? "desc" : "asc",
    },
  };
}

export function writeView(v: ViewState, defaults: { refresh: number }): string {
  const q = new URLSearchParams();
  if (v.host) q.set("host", v.host);
  if (v.range !== "24h") q.set("range", v.range);
  if (v.range === "custom") {
    if (v.from) q.set("from", v.from);
    if (v.to) q.set("to", v.to);
  }
  if (v.refresh !== defaults.refresh) q.set("refresh", String(v.refresh));
  if (v.filters.health) q.set("health", v.filters.health);
  if (v.filters.kind) q.set("kind", v.filters.kind);
  if (v.filters.source) q.set("source", v.filters.source);
  if (v.filters.labels) q.set("labels", "1");
  if (v.filters.q) q.set("q", v.filters.q);
  if (v.sort.key !== "health") q.set("sort", v.sort.key);
  if (v.sort.dir !== "asc") q.set("dir", v.sort.dir);
  const s = q.toString();
  return s ? `?${s}` : "";
}

/**
 * The absolute range a view shows at `now`, and what was wrong with the URL's range if it could
 * not be read (then the last 24 h, said out loud: never a silent substitute). `from`/`to` may be
 * ISO times with a zone (zoneless ones are read as UTC), unix milliseconds or `now-6h`.
 */
export function resolveRange(
  v: Pick<ViewState, "range" | "from" | "to">,
  now: Date,
): { from: string; to: string; error: string | null } {
  let error: string | null = null;
  if (v.range === "custom") {
    const from = v.from ? parseInstant(v.from, now) : null;
    const to = v.to ? parseInstant(v.to, now) : now;
    if (from && to && from < to) return { from: from.toISOString(), to: to.toISOString(), error };
    error = !v.from
      ? "The link's custom range has no start (from=)."
      : !from
        ? `The link's range start "${v.from}" is not a time (use 2026-11-27T09:30:00Z or now-6h).`
        : !to
          ? `The link's range end "${v.to}" is not a time (use 2026-11-27T10:30:00Z or now).`
          : "The link's range ends before it starts.";
  }
  const ms = parseDuration(v.range);
  if (v.range !== "custom" && ms === null)
    error = `The link's range "${v.range}" is not a duration (1h, 24h, 7d).`;
  const span = ms ?? 86400_000;
  // Ends at the next whole minute, so the query key (and the cache) is stable between
  // refreshes and the current minute's polls are inside the range.
  const end = Math.floor(now.getTime() / 60_000) * 60_000 + 60_000;
  return {
    from: new Date(end - span).toISOString(),
    to: new Date(end).toISOString(),
    error: error && `${error} Showing the last 24 h instead.`,
  };
}
