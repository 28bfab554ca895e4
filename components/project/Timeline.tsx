"use client";
// The project's finding episodes on a time axis (ticks in the page's clock and "now"), one lane per
// source and kind. Each bar is a button: its details in a card on hover or focus, and in its name
// for a screen reader.
import { useState } from "react";
import type { ApiEpisode } from "@/lib/contracts/state";
import { timeline } from "@/lib/ui/project";
import { timelineSpan } from "@/lib/ui/project-timeline";
import { timeTicks } from "@/lib/ui/time-ticks";
import { formatTime, tickText } from "@/lib/ui/clock";
import { formatDuration } from "@/lib/ui/format";
import { kindLabel } from "@/lib/ui/kinds";
import { useClock } from "@/lib/hooks/useClock";
import { useNow } from "@/lib/hooks/useNow";

export function Timeline({ episodes, from, to }: { episodes: ApiEpisode[]; from: string; to: string }) {
  const { zone, fmt } = useClock();
  const now = useNow(15_000).getTime();
  const [whole, setWhole] = useState(false);
  const [active, setActive] = useState<string | null>(null);
  const span = timelineSpan(episodes, from, to, now, whole);
  const lanes = timeline(episodes, new Date(span.from).toISOString(), new Date(span.to).toISOString(), now);
  const pos = (ms: number) => `${(((ms - span.from) / Math.max(1, span.to - span.from)) * 100).toFixed(3)}%`;
  const width = span.to - span.from;
  const showNow = now >= span.from && now <= span.to;
  // No tick under the "now" label; seconds on the ticks when the span is minutes long.
  const ticks = timeTicks(span.from, span.to, zone, 6).filter(
    (t) => t > span.from && t < span.to && (!showNow || Math.abs(t - now) > width / 12),
  );
  const tickLabel = (t: number) =>
    width < 10 * 60_000
      ? formatTime(t, zone, { date: false, seconds: true, zoneName: false })
      : tickText(new Date(t).toISOString(), width, zone);
  const describe = (e: ApiEpisode) =>
    `${kindLabel(e.kind)} at ${e.source ?? "project"}: opened ${fmt(e.opened_at)}, ${
      e.closed_at ? `closed ${fmt(e.closed_at)}` : "still open"
    }, ${formatDuration(e.duration_ms)}. ${e.detail.message}`;
  const shown = episodes.find((e, i) => `${i}` === active);
  return (
    <div className="timeline" role="group" aria-label="Finding episodes over time" data-testid="timeline">
      <p className="muted timeline-span">
        {fmt(span.from, { seconds: false })} – {fmt(span.to, { seconds: false })}
        {span.fitted ? " (from just before the first finding in the range) " : " "}
        {span.fitted || whole ? (
          <button type="button" className="link-button" onClick={() => setWhole(!whole)}>
            {whole ? "Fit to the findings" : "Show the whole range"}
          </button>
        ) : null}
      </p>
      <div className="lane lane-axis" aria-hidden="true">
        <div className="lane-label" />
        <div className="timeline-axis" data-testid="timeline-axis">
          {ticks.map((t) => (
            <span key={t} className="tick" style={{ left: pos(t) }}>
              {tickLabel(t)}
            </span>
          ))}
          {showNow ? (
            <span className="timeline-now" style={{ left: pos(now) }}>
              now
            </span>
          ) : null}
        </div>
      </div>
      <ul className="lanes">
        {lanes.map((l) => (
          <li key={l.key} className="lane">
            <div className="lane-label">
              <span className="mono">{l.source}</span> · {kindLabel(l.bars[0]!.episode.kind)}
            </div>
            <div className="lane-track">
              {ticks.map((t) => (
                <span key={t} className="lane-grid" style={{ left: pos(t) }} aria-hidden="true" />
              ))}
              {showNow ? <span className="lane-now" style={{ left: pos(now) }} aria-hidden="true" /> : null}
              {l.bars.map((b) => {
                const id = `${episodes.indexOf(b.episode)}`;
                return (
                  <button
                    key={id}
                    type="button"
                    className={`bar ${b.episode.closed_at ? "" : "open"}`}
                    style={{ left: `${b.left}%`, width: `${b.width}%` }}
                    aria-label={describe(b.episode)}
                    aria-describedby={active === id ? "timeline-card" : undefined}
                    onMouseEnter={() => setActive(id)}
                    onFocus={() => setActive(id)}
                    onBlur={() => setActive(null)}
                  />
                );
              })}
            </div>
          </li>
        ))}
      </ul>
      <div className="timeline-card" id="timeline-card" role="status" data-testid="timeline-card">
        {shown ? (
          <>
            <strong>{kindLabel(shown.kind)}</strong> at{" "}
            <span className="mono">{shown.source ?? "project"}</span>: {formatTime(shown.opened_at, zone)} →{" "}
            {shown.closed_at ? formatTime(shown.closed_at, zone) : "still open"} (
            {formatDuration(shown.duration_ms)}
            ). {shown.detail.message}
          </>
        ) : (
          <span className="muted">Point at a bar or Tab to it for its details.</span>
        )}
      </div>
    </div>
  );
}
