// View state <-> URL query, so a link reproduces the view. Pure.
import { FINDING_KINDS, type FindingKind, type Health } from "../core/types";
import type { MatrixFilters, MatrixSort, SortKey } from "./matrix";
import { parseDuration, parseInstant } from "../core/time";

export const RANGE_PRESETS = ["1h", "24h", "7d", "30d"] as const;
const HEALTHS: Health[] = ["consistent", "warning", "diverged", "unknown"];
const SORTS: SortKey[] = ["project", "health", "since", "findings"];

export type ViewState = {
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
  return {
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

/** The absolute range a view shows at `now`. */
export function resolveRange(
  v: Pick<ViewState, "range" | "from" | "to">,
  now: Date,
): { from: string; to: string } {
  if (v.range === "custom" && v.from) {
    const from = parseInstant(v.from, now);
    const to = v.to ? parseInstant(v.to, now) : now;
    if (from && to && from < to) return { from: from.toISOString(), to: to.toISOString() };
  }
  const ms = parseDuration(v.range) ?? 86400_000;
  // Ends at the next whole minute, so the query key (and the cache) is stable between
  // refreshes and the current minute's polls are inside the range.
  const end = Math.floor(now.getTime() / 60_000) * 60_000 + 60_000;
  return { from: new Date(end - ms).toISOString(), to: new Date(end).toISOString() };
}
