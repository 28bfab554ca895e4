"use client";
import { useState } from "react";
import { RANGE_PRESETS, type ViewPatch, type ViewState } from "@/lib/ui/url";

/** 1 h, 24 h, 7 d, 30 d or a custom range, shared by every chart on the page. */
export function RangePicker({ view, set }: { view: ViewState; set: (v: ViewPatch) => void }) {
  const [from, setFrom] = useState(view.from ?? "");
  const [to, setTo] = useState(view.to ?? "");
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
          if (from) set({ range: "custom", from, to: to || null });
        }}
      >
        <label>
          from{" "}
          <input
            type="datetime-local"
            value={from.slice(0, 16)}
            onChange={(e) => setFrom(e.target.value)}
            aria-label="Custom range start"
          />
        </label>
        <label>
          to{" "}
          <input
            type="datetime-local"
            value={to.slice(0, 16)}
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
      </form>
    </div>
  );
}
