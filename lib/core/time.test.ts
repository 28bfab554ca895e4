import { describe, expect, test } from "vitest";
import {
  FUTURE_TOLERANCE_MS,
  futureTimeField,
  InputError,
  parseDuration,
  parseInstant,
  parseIsoInstant,
  parseRange,
  parseWindow,
} from "./time";

const NOW = new Date("2026-12-01T12:00:00Z");
const LIMIT = { ms: 90 * 86400_000, name: "L9_RETENTION_DAYS=90" };

describe("parseIsoInstant: only dates that exist", () => {
  test.each([
    ["2026-02-28T10:00:00Z", "2026-02-28T10:00:00.000Z"],
    ["2028-02-29T00:00:00Z", "2028-02-29T00:00:00.000Z"],
    ["2000-02-29", "2000-02-29T00:00:00.000Z"],
    ["2025-09-24T10:00:00.123456", "2025-09-24T10:00:00.123Z"],
    ["2025-09-24 10:00", "2025-09-24T10:00:00.000Z"],
    ["2025-09-24T12:00:00+02:00", "2025-09-24T10:00:00.000Z"],
    ["2025-09-24T05:30:00-0430", "2025-09-24T10:00:00.000Z"],
    ["0099-01-01T00:00:00Z", "0099-01-01T00:00:00.000Z"],
  ])("%s is %s", (text, iso) => {
    expect(parseIsoInstant(text)?.toISOString()).toBe(iso);
  });

  test.each([
    "2026-02-30",
    "2026-02-30T00:00:00Z",
    "2026-02-29T00:00:00Z",
    "1900-02-29",
    "2026-04-31T00:00:00Z",
    "2026-11-31",
    "2026-12-32",
    "2026-13-01",
    "2026-00-10",
    "2026-01-00",
    "2026-01-01T24:00:00Z",
    "2026-01-01T23:60:00Z",
    "2026-01-01T23:59:60Z",
    "2026-01-01T00:00:00+24:00",
    "2026-01-01T00:00:00+05:60",
    "2026-01-01Tnoon",
    "yesterday",
  ])("%s is refused", (text) => {
    expect(parseIsoInstant(text)).toBeNull();
  });
});

describe("parseInstant", () => {
  test.each([
    ["now", NOW.toISOString()],
    ["now-1h", "2026-12-01T11:00:00.000Z"],
    ["1764590400000", "2025-12-01T12:00:00.000Z"],
    ["2026-11-27T14:30:00.000Z", "2026-11-27T14:30:00.000Z"],
  ])("%s", (text, iso) => {
    expect(parseInstant(text, NOW)?.toISOString()).toBe(iso);
  });

  test.each([
    "2026-02-30",
    "99999999999999999999",
    "now-99999999999999999999d",
    "now-300000000y",
    "now-",
    "later",
  ])("%s is not a time", (text) => {
    expect(parseInstant(text, NOW)).toBeNull();
  });
});

describe("parseDuration", () => {
  test.each([
    ["7d", 7 * 86400_000],
    ["1h30m", 5_400_000],
    ["99999999999999999999d", null],
    ["0s", null],
    ["7 days", null],
  ])("%s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});

const inputError = (fn: () => unknown): InputError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("no InputError");
};

describe("parseRange: bounded by the history kept", () => {
  test.each([
    ["now-90d", null],
    ["now-30d", "now"],
    [null, null],
  ])("from=%s to=%s is allowed", (from, to) => {
    expect(() => parseRange(from, to, NOW, 86400_000, LIMIT)).not.toThrow();
  });

  test.each([
    ["now-91d", null, "from", /spans 91 days; at most 90 days \(L9_RETENTION_DAYS=90\)/],
    ["now-100000d", null, "from", /at most 90 days/],
    ["1970-01-01T00:00:00Z", "2026-12-01T00:00:00Z", "from", /at most 90 days/],
    ["now-1h", "99999999999999999999", "to", /expected an ISO-8601 time/],
    ["2026-02-30T00:00:00Z", null, "from", /expected an ISO-8601 time/],
    ["now-99999999999999999999d", null, "from", /expected an ISO-8601 time/],
    ["now", "now-1h", "from", /must not be after to/],
  ])("from=%s to=%s is a 400 on %s", (from, to, field, message) => {
    const e = inputError(() => parseRange(from, to, NOW, 86400_000, LIMIT));
    expect(e.field).toBe(field);
    expect(e.message).toMatch(message);
  });
});

describe("parseWindow", () => {
  test.each([
    [null, null],
    ["", null],
    ["90d", "90d"],
    ["4w", "4w"],
  ])("%s is %s", (raw, out) => {
    expect(parseWindow(raw, LIMIT)).toBe(out);
  });

  test.each([
    ["91d", /at most 90 days \(L9_RETENTION_DAYS=90\)/],
    ["100000d", /at most 90 days/],
    ["99999999999999999999d", /at most 90 days/],
    ["seven days", /expected a duration/],
  ])("%s is a 400 naming the limit", (raw, message) => {
    const e = inputError(() => parseWindow(raw, LIMIT));
    expect(e.field).toBe("window");
    expect(e.message).toMatch(message);
  });
});

describe("futureTimeField: the first ingested time too far ahead", () => {
  const ahead = (ms: number) => new Date(NOW.getTime() + ms);
  test.each([
    [{ taken_at: NOW, started_at: ahead(FUTURE_TOLERANCE_MS) }, null],
    [{ taken_at: ahead(FUTURE_TOLERANCE_MS + 1) }, "taken_at"],
    [{ taken_at: new Date("9999-12-31T00:00:00Z") }, "taken_at"],
    [{ events: [{ at: NOW }, { at: ahead(3600_000) }] }, "events.1.at"],
    [
      { polls: [{ restarts: [{ started_at: NOW, recovered_at: ahead(86400_000) }] }] },
      "polls.0.restarts.0.recovered_at",
    ],
    [{ note: "9999-12-31T00:00:00Z", n: 1, empty: null }, null],
  ])("%j -> %s", (body, field) => {
    expect(futureTimeField(body, NOW)).toBe(field);
  });
});
