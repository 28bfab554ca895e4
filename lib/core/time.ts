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

/** Parses a Prometheus duration such as 7d, 90m, 1h30m. Null when it is not one. */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(t)) return null;
  let total = 0;
  for (const m of t.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total > 0 ? total : null;
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

/** An instant: ISO-8601, unix milliseconds, or "now-<duration>". */
export function parseInstant(text: string, now: Date): Date | null {
  const t = text.trim();
  if (t === "now") return now;
  const rel = /^now-(.+)$/.exec(t);
  if (rel) {
    const d = parseDuration(rel[1]!);
    return d === null ? null : new Date(now.getTime() - d);
  }
  if (/^\d{10,}$/.test(t)) return new Date(Number(t));
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return null;
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(t) || /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : `${t}Z`);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** from/to query parameters; defaults to the last `defaultMs` up to now. */
export function parseRange(
  fromText: string | null,
  toText: string | null,
  now: Date,
  defaultMs: number,
): { from: Date; to: Date } {
  const to = toText ? parseInstant(toText, now) : now;
  if (!to) throw new InputError("to: expected an ISO-8601 time, unix milliseconds or now-<duration>", "to");
  const from = fromText ? parseInstant(fromText, now) : new Date(to.getTime() - defaultMs);
  if (!from)
    throw new InputError("from: expected an ISO-8601 time, unix milliseconds or now-<duration>", "from");
  if (from.getTime() > to.getTime()) throw new InputError("from: must not be after to", "from");
  return { from, to };
}

/** A `window` parameter: a duration, or null for "each phase's own length". */
export function parseWindow(raw: string | null): string | null {
  if (raw === null || raw === "") return null;
  if (parseDuration(raw) === null)
    throw new InputError("window: expected a duration such as 30m, 24h, 7d or 4w", "window");
  return raw;
}
