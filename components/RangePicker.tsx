"use client";
import { useState } from "react";
import { RANGE_PRESETS, type ViewPatch, type ViewState } from "@/lib/ui/url";
import { useClock } from "@/lib/hooks/useClock";
import { fromInputValue, toInputValue } from "@/lib/ui/clock";

/** 1 h, 24 h, 7 d, 30 d or a custom range, shared by every chart on the page. */
/**
 * A custom range is typed in the page's clock (local or UTC) and goes into the URL as UTC
 * (`from=2026-11-27T14:30:00.000Z`), so a shared link selects the same window in every zone.
 */
export function RangePicker({ view, set }: { view: ViewState; set: (v: ViewPatch) => void }) {
  const { zone, name, mounted } = useClock();
  const shown = (iso: string | null) =>
    iso && mounted && /^\d{4}-/.test(iso) ? toInputValue(iso, zone) : "";
  const [edit, setEdit] = useState<{ from?: string; to?: string }>({});
  const from = edit.from ?? shown(view.from);
  const to = edit.to ?? shown(view.to);
  const setFrom = (v: string) => setEdit((e) => ({ ...e, from: v }));
  const setTo = (v: string) => setEdit((e) => ({ ...e, to: v }));
  return (
    <div className="range-picker" role="group" aria-label="Time range">
      {RANGE_PRESETS.map((r) => (
        <button
          key={r}
          type="button"
          aria-pressed={view.range === r}
          className={view.range === r ? "active" : ""}
          onClick={() => set({ range: r, from: null, to: null })}
        >
          {r}
        </button>
      ))}
      <form
        className="custom-range"
        onSubmit={(e) => {
          e.preventDefault();
          const f = fromInputValue(from, zone);
          if (!f) return;
          set({ range: "custom", from: f, to: to ? fromInputValue(to, zone) : null });
          setEdit({});
        }}
      >
        <label>
          from{" "}
          <input
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            aria-label="Custom range start"
          />
        </label>
        <label>
          to{" "}
          <input
            type="datetime-local"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            aria-label="Custom range end"
          />
        </label>
        <button
          type="submit"
          aria-pressed={view.range === "custom"}
          className={view.range === "custom" ? "active" : ""}
        >
          Apply
        </button>
        <span className="muted"> in {name}</span>
      </form>
    </div>
  );
}
