import { describe, expect, test } from "vitest";
import { reviewMarkdown } from "./review-export";
import type { ApiReview } from "../contracts/reviews";

const review = (accept: boolean, notes = ""): ApiReview => ({
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
          actual: 0.08,
          status: "not_met",
          evidence: { summary: "80 of 1000 checks diverged" },
          acknowledged: { actual: 0.01, status: "met", left_out: 70 },
        },
      ],
    },
    acknowledgements: [
      {
        id: 1,
        project: "alpha",
        source: "container_registry",
        kind: "missing_in_source",
        value: null,
        reason: "never written",
        owner: "ana",
        createdAt: "2026-11-27T09:00:00.000Z",
        expiresAt: "2026-12-01T00:00:00.000Z",
        endedAt: null,
      },
    ],
  },
  attendees: ["ana"],
  notes,
  decision: null,
  sign_offs: [],
  decided_at: null,
  decided_by: null,
  min_sign_offs: 1,
  accept_acknowledged: accept,
  rationale: "",
  action_items: [],
  follow_up: null,
});

describe("review export with acknowledged differences", () => {
  test("both figures, the changed verdict called out, the acknowledgements listed", () => {
    const md = reviewMarkdown(review(false));
    expect(md).toContain(
      "| 8.00% (without acknowledged: 1.00%, met — **an acknowledgement changes this verdict**) | not met |",
    );
    expect(md).toContain(
      "- alpha · container_registry · missing_in_source: never written (ana, until 2026-12-01T00:00:00.000Z)",
    );
    expect(md).toContain("The review does not accept them: the raw verdicts apply.");
    expect(reviewMarkdown(review(true))).toContain("The review accepts these differences");
  });
});

describe("people's text in Markdown", () => {
  test.each([
    ["# x", "\\# x"],
    ["- item", "\\- item"],
    ["1. first", "1\\. first"],
    ["a *b* [c](d) <e>", "a \\*b\\* \\[c\\](d) \\<e\\>"],
    ["plain text, 5.0% is fine", "plain text, 5.0% is fine"],
  ])("%s", (raw, escaped) => {
    const md = reviewMarkdown(review(false, raw));
    expect(md).toContain(`## Notes\n\n${escaped}\n`);
  });
});
