// Time ranges and Prometheus-style durations. Pure: "now" is an argument.

/** Bad input to a pure function, naming the field; the HTTP layer answers it with a 400. */
export class InputError extends Error {
  override name = "InputError";
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

/**
 * Parses a Prometheus duration such as 7d, 90m, 1h30m. Null when it is not one, or when it is
 * too long to be a time span at all (more milliseconds than a number holds exactly).
 */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(t)) return null;
  let total = 0;
  for (const m of t.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total > 0 && Number.isSafeInteger(total) ? total : null;
}

/** When a poll's figures count as stale: no newer poll within 3 intervals (and 3 s of slack). */
export const staleAfterMs = (polledAtMs: number, intervalMs: number) => polledAtMs + 3 * intervalMs + 3000;

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} m`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** How far ahead of our clock a time sent to us may be (clock skew); beyond it it is refused. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** The largest time a Date can hold (ECMAScript: 100,000,000 days either side of 1970). */
const MAX_DATE_MS = 8.64e15;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A calendar date-time that exists: `2026-02-30` or `T24:00` is null (Date.parse rolls them
 * over into March or the next day). Date only, or with a time; no zone is UTC.
 */
export function parseIsoInstant(text: string): Date | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  const daysInMonth = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
  if (d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 59) return null;
  let offsetMin = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== "Z") {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const [oh, om] = [Number(z[2]), Number(z[3])];
    if (oh > 23 || om > 59) return null;
    offsetMin = (z[1] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return new Date(date.getTime() - offsetMin * 60_000);
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** An instant: ISO-8601 (a date that exists), unix milliseconds, or "now-<duration>". */
export function parseInstant(text: string, now: Date): Date | null {
  const t = text.trim();
  if (t === "now") return now;
  const rel = /^now-(.+)$/.exec(t);
  let ms: number | null;
  if (rel) {
    const d = parseDuration(rel[1]!);
    ms = d === null ? null : now.getTime() - d;
  } else if (/^\d{10,}$/.test(t)) ms = Number(t);
  else ms = parseIsoInstant(t)?.getTime() ?? null;
  return ms === null || !(Math.abs(ms) <= MAX_DATE_MS) ? null : new Date(ms);
}

/** The longest span a query may cover, and what sets it (named in the 400). */
export type SpanLimit = { ms: number; name: string };

const days = (ms: number) => `${Math.round((ms / 86400_000) * 10) / 10} days`;

/** from/to query parameters; defaults to the last `defaultMs` up to now; at most `limit` long. */
export function parseRange(
  fromText: string | null,
  toText: string | null,
  now: Date,
  defaultMs: number,
  limit?: SpanLimit,
): { from: Date; to: Date } {
  const to = toText ? parseInstant(toText, now) : now;
  if (!to) throw new InputError("to: expected an ISO-8601 time, unix milliseconds or now-<duration>", "to");
  const from = fromText ? parseInstant(fromText, now) : new Date(to.getTime() - defaultMs);
  if (!from)
    throw new InputError("from: expected an ISO-8601 time, unix milliseconds or now-<duration>", "from");
  if (from.getTime() > to.getTime()) throw new InputError("from: must not be after to", "from");
  if (limit && to.getTime() - from.getTime() > limit.ms)
    throw new InputError(
      `from: the range spans ${days(to.getTime() - from.getTime())}; at most ${days(limit.ms)} (${limit.name})`,
      "from",
    );
  return { from, to };
}

/** A `window` parameter: a duration of at most `limit`, or null for "each phase's own length". */
export function parseWindow(raw: string | null, limit?: SpanLimit): string | null {
  if (raw === null || raw === "") return null;
  const ms = parseDuration(raw);
  // Digits and units, but more than a number holds: too long, not malformed.
  const tooLong = ms === null && /^(\d+(ms|s|m|h|d|w|y))+$/.test(raw.trim());
  if (ms === null && !tooLong)
    throw new InputError("window: expected a duration such as 30m, 24h, 7d or 4w", "window");
  if (limit && (tooLong || ms! > limit.ms))
    throw new InputError(`window: at most ${days(limit.ms)} (${limit.name})`, "window");
  if (tooLong) throw new InputError("window: too long to be a duration", "window");
  return raw;
}

/**
 * The first time in an ingested body (every Date its schema produced) that lies more than
 * FUTURE_TOLERANCE_MS ahead of `now`, as a dotted field path; null when there is none.
 */
export function futureTimeField(value: unknown, now: Date): string | null {
  const path = futurePath(value, now.getTime() + FUTURE_TOLERANCE_MS);
  return path && path.reverse().join(".");
}

/** The path to the first Date after `limitMs`, innermost key first (built only on a hit). */
function futurePath(value: unknown, limitMs: number): string[] | null {
  if (value instanceof Date) return value.getTime() > limitMs ? [] : null;
  if (value === null || typeof value !== "object") return null;
  for (const [k, v] of Object.entries(value)) {
    const hit = futurePath(v, limitMs);
    if (hit) {
      hit.push(k);
      return hit;
    }
  }
  return null;
}
