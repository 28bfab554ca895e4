// Display formatting. Pure.
import { formatDuration } from "../core/time";
import { percent } from "../core/format";

/** A rate for the screen (one decimal), "—" when there is none. */
export const pct = (r: number | null | undefined, digits = 1) =>
  r === null || r === undefined ? "—" : percent(r, digits);

export function since(iso: string | null, now: Date): string {
  if (!iso) return "";
  return formatDuration(Math.max(0, now.getTime() - Date.parse(iso)));
}

export function ago(iso: string | null, now: Date): string {
  if (!iso) return "never";
  const ms = now.getTime() - Date.parse(iso);
  if (ms < 1500) return "just now";
  return `${formatDuration(ms)} ago`;
}

export { formatDuration };

/** A criterion's numeric target as its trend is drawn (rates in percent); null where it has none. */
export const chartTarget = (c: { target_value?: number; unit?: "ratio" | "count" | "ms" }) =>
  c.target_value === undefined ? null : c.unit === "ratio" ? ratioToPct(c.target_value) : c.target_value;

/** A ratio target as the percentage a chart's axis reads: 0.05 -> 5 (no float noise). */
export const ratioToPct = (r: number) => Math.round(r * 1e8) / 1e6;

/** A ratio target in words, as few digits as it has: 0.05 -> "5%". */
export const targetPct = (r: number) => `${ratioToPct(r)}%`;
