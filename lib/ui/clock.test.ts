import { describe, expect, test } from "vitest";
import { formatTime, fromInputValue, tickText, toInputValue, zoneName } from "./clock";

const at = "2026-11-27T09:56:14Z";
const NY = "America/New_York";

describe("one clock", () => {
  test("the same instant in the viewer's zone and in UTC, the zone always named", () => {
    expect(formatTime(at, "local", {}, NY)).toBe("27 Nov 2026, 04:56:14 EST");
    expect(formatTime(at, "utc")).toBe("27 Nov 2026, 09:56:14 UTC");
    expect(formatTime(at, "utc", { date: false, seconds: false })).toBe("09:56 UTC");
    expect(zoneName("utc")).toBe("UTC");
    expect(zoneName("local", NY)).toBe(NY);
  });

  test("chart ticks carry the date once a range spans days", () => {
    expect(tickText(at, 3600_000, "utc")).toBe("09:56");
    expect(tickText(at, 86400_000, "local", NY)).toBe("04:56");
    expect(tickText(at, 2 * 86400_000, "utc")).toBe("27 Nov, 09:56");
    expect(tickText(at, 30 * 86400_000, "utc")).toBe("27 Nov");
  });

  test("a custom range typed in New York goes into the URL as UTC", () => {
    expect(fromInputValue("2026-11-27T09:30", "utc")).toBe("2026-11-27T09:30:00.000Z");
    expect(fromInputValue("not a time", "utc")).toBeNull();
    expect(toInputValue("2026-11-27T14:30:00.000Z", "local", NY)).toBe("2026-11-27T09:30");
    expect(toInputValue("2026-11-27T14:30:00.000Z", "utc")).toBe("2026-11-27T14:30");
  });

  test("an unreadable instant is a dash, not 'Invalid Date'", () => {
    expect(formatTime("garbage", "utc")).toBe("—");
  });
});
