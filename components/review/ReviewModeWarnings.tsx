"use client";
// Issue 25: which code the processes ran when the review was evaluated; in red when they ran
// mixed modes or a mode behind the recorded phase (an advance on such a fleet is not evidence).
import type { ApiReview } from "@/lib/contracts/reviews";

export function ReviewModeWarnings({ modes }: { modes: ApiReview["evaluation"]["modes"] }) {
  if (!modes || modes.live.length === 0) return null;
  return (
    <section className="review-modes" aria-label="Processes' modes">
      {modes.warnings.length ? (
        <ul className="error" role="alert" data-testid="mode-warnings">
          {modes.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      <p className="muted" data-testid="review-modes">
        Processes then:{" "}
        {modes.live
          .map(
            (l) =>
              `${l.host ? `${l.host}: ` : ""}${l.instance_id} ${l.mode ?? "no mode"}${l.code_version ? ` · ${l.code_version.slice(0, 12)}` : ""}`,
          )
          .join("; ")}
      </p>
    </section>
  );
}
