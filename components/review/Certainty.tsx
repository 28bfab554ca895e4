"use client";
// How sure a criterion's verdict is, or when it will be met (issue 24), beside its status on
// the phases page, in a review and in its PDF: in large type, readable across a room.
import type { Criterion, PhaseResult } from "@/lib/core/phase-types";
import { certaintyText } from "@/lib/core/certainty-text";

export function Certainty({ c }: { c: Criterion }) {
  const text = certaintyText(c);
  if (!text) return null;
  const state = c.progress ? "duration" : c.settled ? "settled" : "unsettled";
  return (
    <div className={`certainty certainty-${state}`} data-testid="certainty" data-certainty={state}>
      {text}
    </div>
  );
}

/** A phase's own timeline: its recorded start, the regressions that reset it, the projected ready date. */
export function PhaseTimeline({ p }: { p: PhaseResult }) {
  const t = p.timeline;
  if (!t) return null;
  return (
    <div className="certainty timeline" data-testid={`timeline-${p.phase}`}>
      <span>Started: {t.started_at ? t.started_at.slice(0, 10) : "not recorded"}</span>
      {t.regressions.length ? (
        <details>
          <summary>
            {t.regressions.length} regression(s), latest {t.regressions[0]!.at.slice(0, 10)}
          </summary>
          <ul>
            {t.regressions.map((r) => (
              <li key={`${r.at}-${r.what}`}>
                {r.at} – {r.ended_at ?? "still on"}: {r.what}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <span>
        Projected ready:{" "}
        {p.ready
          ? "ready now"
          : t.ready_eta
            ? `${t.ready_eta.slice(0, 10)} if nothing regresses`
            : "not from time alone"}
      </span>
    </div>
  );
}
