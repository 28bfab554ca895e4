// One way to show figures to people, used by the phases page, reviews and their exports:
// rates as percentages, counts as counts, durations with their unit. Pure.
import type { Criterion } from "./phases";

const RATE_IDS = new Set([
  "divergence_rate",
  "collecting",
  "labels_present",
  "labels_valid",
  "docker_success_rate",
  "fallback_rate",
  "no_divergence_increase",
]);
const MS_IDS = new Set(["docker_latency"]);
const DAY_IDS = new Set(["phase3_stable_4w"]);

/** CONTRACT 6f: every actual rounded for people: rates to 4 decimals, times to 0.1 ms. */
export const rate4 = (x: number) => Math.round(x * 1e4) / 1e4;
export const ms1 = (x: number) => Math.round(x * 10) / 10;

/** A rate in 0..1 as a percentage, two decimals unless said: 0.1357 -> "13.57%". The only one. */
export const percent = (x: number, digits = 2) => `${(x * 100).toFixed(digits)}%`;

/** A criterion's value (actual, or the one without acknowledged findings) in its unit. */
export function formatValue(id: string, v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (typeof v !== "number") return v;
  if (RATE_IDS.has(id)) return percent(v);
  if (MS_IDS.has(id)) return `${v.toFixed(1)} ms`;
  if (DAY_IDS.has(id)) return `${v} days`;
  return String(v);
}

export const formatActual = (c: Pick<Criterion, "id" | "actual">) => formatValue(c.id, c.actual);

/**
 * One cell of an evidence table, named by its field: `*_ms` a duration, `*rate*` a
 * percentage, `*_at` left as the instant it is (the page's clock shows it), lists joined.
 */
export function formatField(key: string, v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") {
    if (/_ms$/.test(key)) return v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`;
    if (/rate/.test(key) && v >= 0 && v <= 1) return percent(v);
    return Number.isInteger(v) ? String(v) : v.toFixed(2);
  }
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v))
    return v.map((x) => (typeof x === "object" ? JSON.stringify(x) : String(x))).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Evidence details as rows and columns: a list of records, or one record as field/value rows. */
export function evidenceTable(details: unknown): { columns: string[]; rows: string[][] } | null {
  if (Array.isArray(details)) {
    if (details.length === 0) return null;
    const columns: string[] = [];
    for (const d of details)
      if (d && typeof d === "object" && !Array.isArray(d))
        for (const k of Object.keys(d)) if (!columns.includes(k)) columns.push(k);
    if (columns.length === 0) return { columns: ["value"], rows: details.map((d) => [formatField("", d)]) };
    return {
      columns,
      rows: details.map((d) => columns.map((k) => formatField(k, (d as Record<string, unknown>)[k]))),
    };
  }
  if (details && typeof details === "object") {
    const entries = Object.entries(details);
    if (entries.length === 0) return null;
    return {
      columns: ["field", "value"],
      rows: entries.map(([k, v]) => [k.replace(/_/g, " "), formatField(k, v)]),
    };
  }
  return null;
}
