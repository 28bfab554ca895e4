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

/** A rate in 0..1 as a percentage with two decimals: 0.1357 -> "13.57%". */
export const percent = (x: number) => `${(x * 100).toFixed(2)}%`;

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
