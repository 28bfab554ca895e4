// One clock for every screen: times in the viewer's zone or in UTC, always with the zone named.
// Pure (the zone is passed in; Intl does the calendar work).
export type Zone = "local" | "utc";

export const zoneParam = (v: string | null | undefined): Zone | null =>
  v === "utc" ? "utc" : v === "local" ? "local" : null;

/** The IANA name of the zone times are shown in ("UTC", "America/New_York"). */
export function zoneName(zone: Zone, localZone?: string): string {
  if (zone === "utc") return "UTC";
  return localZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "local time";
}

type Parts = { date?: boolean; seconds?: boolean; zoneName?: boolean };

/**
 * "27 Nov 2026, 09:56:14 EST" (or "… UTC"). 24-hour, the zone's short name always written out
 * unless `zoneName: false` (chart ticks, where the axis names it once).
 */
export function formatTime(
  at: string | number | Date,
  zone: Zone,
  { date = true, seconds = true, zoneName: named = true }: Parts = {},
  localZone?: string,
): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return "—";
  const timeZone = zone === "utc" ? "UTC" : localZone;
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    ...(date ? { day: "numeric", month: "short", year: "numeric" } : {}),
    hour: "2-digit",
    minute: "2-digit",
    ...(seconds ? { second: "2-digit" } : {}),
    hourCycle: "h23",
  }).format(d);
  return named ? `${text} ${shortZone(d, timeZone)}` : text;
}

/** "EST", "CET", "UTC" where the zone has a common abbreviation, else "GMT+5:30". */
function shortZone(d: Date, timeZone: string | undefined): string {
  if (timeZone === "UTC") return "UTC";
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
    .formatToParts(d)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? "";
}

/** A chart tick: the time, with the date when the range spans more than a day. */
export function tickText(at: string, spanMs: number, zone: Zone, localZone?: string): string {
  const d = new Date(at);
  const tz = zone === "utc" ? "UTC" : localZone;
  if (spanMs > 86400_000)
    return new Intl.DateTimeFormat("en-GB", {
      timeZone: tz,
      day: "numeric",
      month: "short",
      ...(spanMs <= 7 * 86400_000 ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : {}),
    }).format(d);
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: tz,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(d);
}

/** An instant as the value of an <input type="datetime-local"> in the zone shown. */
export function toInputValue(iso: string, zone: Zone, localZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone === "utc" ? "UTC" : localZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "00";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

/**
 * The UTC instant an <input type="datetime-local"> value means in the zone shown, as the URL
 * keeps it ("2026-11-27T14:30:00.000Z"), so a shared link selects the same window everywhere.
 * Local: the browser reads a zoneless date-time as local time. Null if it is not a time.
 */
export function fromInputValue(value: string, zone: Zone): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const ms = zone === "utc" ? Date.parse(`${value}Z`) : new Date(value).getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
