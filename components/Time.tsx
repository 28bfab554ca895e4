"use client";
import { useClock } from "@/lib/hooks/useClock";
import { formatTime } from "@/lib/ui/clock";

/** An instant in the page's clock (zone named); the other clock in its tooltip. */
export function Time({ at, date = true, seconds = true }: { at: string; date?: boolean; seconds?: boolean }) {
  const { zone, fmt, mounted } = useClock();
  return (
    <time dateTime={at} title={mounted ? formatTime(at, zone === "utc" ? "local" : "utc") : undefined}>
      {fmt(at, { date, seconds })}
    </time>
  );
}

/** "Times in America/New_York" with a UTC switch; the choice goes into the URL (tz=utc). */
export function ClockToggle() {
  const { zone, name, setZone } = useClock();
  return (
    <label className="clock-toggle">
      <input
        type="checkbox"
        checked={zone === "utc"}
        onChange={(e) => setZone(e.target.checked ? "utc" : "local")}
      />{" "}
      UTC{" "}
      <span className="muted" aria-live="polite">
        (times in {name})
      </span>
    </label>
  );
}
