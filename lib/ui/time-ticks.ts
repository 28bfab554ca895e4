// The charts' time ticks, apart from lib/ui/charts.ts: d3 (inside Recharts' chunk) must not
// reach the pages that import the chart mappers for other things (ChartMarks, the phases page).
import { scaleTime, scaleUtc } from "victory-vendor/d3-scale";
import type { Zone } from "./clock";

/**
 * The time axis's ticks: d3's time ticks (the d3 Recharts itself bundles) on whole minutes,
 * hours or days of the zone shown. Recharts alone puts a numeric x axis's ticks on the data's
 * own instants (every bucket, thinned), which fall on no round time.
 */
export function timeTicks(from: number, to: number, zone: Zone, count = 6): number[] {
  return (zone === "utc" ? scaleUtc() : scaleTime()).domain([from, to]).ticks(count).map(Number);
}
