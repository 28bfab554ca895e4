// How sure a rate is (issue 24, section 1): a 95% Wilson interval on an effective sample size
// that accounts for consecutive observations of one series (a project's check, its reads)
// being alike, whether the interval is wholly on one side of the target, and how much longer
// observing at the current rate would take to get there. Pure: time comes in as an argument.

/** A window's binary observations grouped in series (one per project and check), summed. */
export type BinarySeries = {
  /** observations (checks, reads, containers) */
  n: number;
  /** those with the outcome counted (diverged, Docker ok, fallback, missing labels) */
  x: number;
  /** how many series they fall in */
  series: number;
  /** consecutive pairs of observations within one series */
  pairs: number;
  /** pairs whose two outcomes differ (episode starts and ends) */
  changes: number;
};

export type Confidence = { low: number; high: number; level: 0.95; method: string };
export type SettleEta = { seconds: number; at: string; text: string } | null;

export const LEVEL = 0.95;
const Z = 1.959963984540054;
export const METHOD = "wilson-ess-markov";

/**
 * Effective sample size: each series taken as a two-state Markov chain, its lag-1 correlation
 * ρ estimated from how often consecutive outcomes differ against how often they would if
 * independent (2p(1-p) of pairs); n_eff = n(1-ρ)/(1+ρ), the variance inflation of an AR(1) mean.
 * With no change at all (every outcome alike) ρ cannot be measured: one observation per series
 * per `fallbackBlocks` (the caller's project-hours) is assumed.
 */
export function effectiveN(s: BinarySeries, fallbackBlocks: number): number {
  if (s.n <= 0) return 0;
  const p = s.x / s.n;
  const expected = 2 * p * (1 - p) * s.pairs;
  if (s.changes === 0 || expected <= 0) return Math.max(1, Math.min(s.n, fallbackBlocks));
  const rho = Math.min(0.999999, Math.max(0, 1 - s.changes / expected));
  return Math.max(1, Math.min(s.n, (s.n * (1 - rho)) / (1 + rho)));
}

/** Wilson score interval for x of n (n may be fractional: an effective size). */
export function wilson(x: number, n: number, z = Z): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = x / n;
  const z2 = z * z;
  const mid = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, mid - half), high: Math.min(1, mid + half) };
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** The 95% interval of the rate x/n, dependence accounted for; null when nothing was observed. */
export function rateConfidence(
  s: BinarySeries,
  fallbackBlocks: number,
): (Confidence & { n_eff: number }) | null {
  if (s.n <= 0) return null;
  const nEff = effectiveN(s, fallbackBlocks);
  const w = wilson((s.x / s.n) * nEff, nEff);
  return { low: round6(w.low), high: round6(w.high), level: LEVEL, method: METHOD, n_eff: round6(nEff) };
}

/** How a criterion compares its rate with the target: below, above, or every one of them. */
export type Comparator = "below" | "above" | "all";

/** The whole interval is on one side of the target ("all": an observed miss settles it). */
export function isSettled(c: Pick<Confidence, "low" | "high">, target: number, cmp: Comparator): boolean {
  if (cmp === "all") return c.high < target;
  return c.high < target || c.low > target;
}

/** "about 2 more days", "about 5 more hours", "about 20 more minutes" */
export function aboutMore(seconds: number): string {
  const h = seconds / 3600;
  if (h >= 36) return `about ${Math.round(h / 24)} more days`;
  if (h >= 1.5) return `about ${Math.round(h)} more hours`;
  return `about ${Math.max(1, Math.round(seconds / 60))} more minutes`;
}

/**
 * How long until the interval clears the target, if the rate stays what it is: the
 * half-width shrinks with the square root of the effective size, and the effective size grows
 * with observed time at today's rate. Null when the rate sits on the target or for an
 * all-or-nothing rule (no amount of observation proves 100%).
 */
export function settleEta(
  s: BinarySeries,
  c: Pick<Confidence, "low" | "high">,
  target: number,
  cmp: Comparator,
  observedMs: number,
  now: string,
  unit = "check",
): SettleEta {
  if (cmp === "all" || s.n <= 0 || observedMs <= 0) return null;
  const p = s.x / s.n;
  const distance = Math.abs(p - target);
  const half = (c.high - c.low) / 2;
  if (distance <= 0 || half <= 0) return null;
  const growth = (half / distance) ** 2;
  const seconds = Math.max(60, Math.round(((growth - 1) * observedMs) / 1000));
  const at = new Date(Date.parse(now) + seconds * 1000).toISOString();
  return { seconds, at, text: `${aboutMore(seconds)} at today's ${unit} rate` };
}
