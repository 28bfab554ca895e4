// Issue 24 in the Markdown export: each criterion's interval and settled, or its progress.
import { expect, test } from "vitest";
import { reviewMarkdown } from "./review-export";
import type { ApiReview } from "../contracts/reviews";

test("the export shows the frozen interval, settled and the duration's date beside each status", () => {
  const r: ApiReview = {
    id: "r1",
    phase: 0,
    window: "7d",
    created_at: "2026-11-27T10:00:00.000Z",
    created_by: "ana",
    evaluation: {
      evaluated_at: "2026-11-27T10:00:00.000Z",
      current_phase: 0,
      simulated: false,
      next: null,
      phase: {
        phase: 0,
        title: "Phase 0: measure divergence (observe only)",
        window: "7d",
        ready: false,
        criteria: [
          {
            id: "divergence_rate",
            title: "Divergence rate below 5%",
            target: "< 5% of checks diverged",
            actual: 0.0435,
            status: "met",
            evidence: { summary: "13 of 299 checks diverged" },
            confidence: { low: 0.012, high: 0.1453, level: 0.95, method: "wilson-ess-markov" },
            settled: false,
            settle_eta: {
              seconds: 777600,
              at: "2026-12-06T10:00:00.000Z",
              text: "about 9 more days at today's check rate",
            },
          },
          {
            id: "collecting",
            title: "The dashboard has been collecting over the window",
            target: "stored polls cover ≥ 90% of the window",
            actual: 0.1,
            status: "not_met",
            evidence: { summary: "" },
            progress: { done_s: 86400, needed_s: 544320 },
            met_eta: "2026-12-02T17:12:00.000Z",
          },
        ],
      },
    },
    attendees: [],
    notes: "",
    decision: null,
    sign_offs: [],
    decided_at: null,
    decided_by: null,
    decision_state: "open",
    undo_until: null,
    undo_seconds: 30,
    min_sign_offs: 1,
    accept_acknowledged: false,
    rationale: "",
    action_items: [],
    follow_up: null,
  };
  const md = reviewMarkdown(r);
  expect(md).toContain(
    "| met (95% interval 1.20%–14.53%: not settled (about 9 more days at today's check rate)) |",
  );
  expect(md).toContain("| not met (1.0 of 6.3 days: met on 2026-12-02 if nothing regresses) |");
});
