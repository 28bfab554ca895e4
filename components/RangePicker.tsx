"use client";
import { useState } from "react";
import { QUICK_RANGES, RANGE_PRESETS, type ViewPatch, type ViewState } from "@/lib/ui/url";
import { useClock } from "@/lib/hooks/useClock";
import { useRange } from "@/lib/hooks/useRange";
import { fromInputValue, toInputValue } from "@/lib/ui/clock";

/** Presets, quick relative ranges or a custom range, shared by every chart on the page. */
/**
 * A custom range is typed in the page's clock (local or UTC), named beside each field, and goes
 * into the URL as UTC (`from=2026-11-27T14:30:00.000Z`), so a shared link selects the same window
 * in every zone. The fields always show the range in view (a preset's too), never a blank mask.
 */
export function RangePicker({ view, set }: { view: ViewState; set: (v: ViewPatch) => void }) {
  const { zone, name, mounted } = useClock();
  const resolved = useRange(view);
  const shown = (iso: string | null) =>
    iso && mounted && /^\d{4}-/.test(iso) ? toInputValue(iso, zone).replace("T", " ") : "";
  const [edit, setEdit] = useState<{ from?: string; to?: string }>({});
  const [bad, setBad] = useState(false);
  const from = edit.from ?? shown(view.range === "custom" ? view.from : resolved.from);
  const to = edit.to ?? shown(view.range === "custom" ? view.to : resolved.to);
  const setFrom = (v: string) => setEdit((e) => ({ ...e, from: v }));
  const setTo = (v: string) => setEdit((e) => ({ ...e, to: v }));
  const read = (v: string) => fromInputValue(v.trim().replace(" ", "T"), zone);
  const quick = QUICK_RANGES.some(([r]) => r === view.range) ? view.range : "";
  return (
    <div className="range-picker" role="group" aria-label="Time range">
      {RANGE_PRESETS.map((r) => (
        <button
          key={r}
          type="button"
          aria-pressed={view.range === r}
          className={view.range === r ? "active" : ""}
          onClick={() => (setEdit({}), set({ range: r, from: null, to: null }))}
        >
          {r}
        </button>
      ))}
      <select
        aria-label="Quick ranges"
        value={quick}
        className={quick ? "active" : ""}
        onChange={(e) =>
          e.target.value && (setEdit({}), set({ range: e.target.value, from: null, to: null }))
        }
      >
        <option value="">Quick ranges…</option>
        {QUICK_RANGES.map(([r, text]) => (
          <option key={r} value={r}>
            {text}
          </option>
        ))}
      </select>
      <form
        className="custom-range"
        onSubmit={(e) => {
          e.preventDefault();
          const f = read(from);
          const t = to.trim() ? read(to) : null;
          setBad(!f || (to.trim() !== "" && !t));
          if (!f || (to.trim() && !t)) return;
          set({ range: "custom", from: f, to: t });
          setEdit({});
        }}
      >
        <label>
          from{" "}
          <input
            type="text"
            inputMode="numeric"
            placeholder="YYYY-MM-DD HH:mm"
            size={16}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            aria-label={`Custom range start, ${name}`}
            aria-invalid={bad || undefined}
          />
          <span className="zone-tag" data-testid="range-zone">
            {name}
          </span>
        </label>
        <label>
          to{" "}
          <input
            type="text"
            inputMode="numeric"
            placeholder="YYYY-MM-DD HH:mm"
            size={16}
            value={to}
            onChange={(e) => setTo(e.target.value)}
            aria-label={`Custom range end, ${name}`}
            aria-invalid={bad || undefined}
          />
          <span className="zone-tag">{name}</span>
        </label>
        <button
          type="submit"
          aria-pressed={view.range === "custom"}
          className={view.range === "custom" ? "active" : ""}
        >
          Apply
        </button>
        {bad ? (
          <span className="error" role="alert">
            Type a date and time as 2026-11-27 14:30 ({name}).
          </span>
        ) : null}
      </form>
    </div>
  );
}
