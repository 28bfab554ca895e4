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
  decision_state: "open",
  undo_until: null,
  undo_seconds: 30,
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

describe("every person's and the fleet's text is escaped", () => {
  const IMG = `<img src=x onerror="alert(1)">`;
  const LINK = "[x](javascript:alert(1))";
  const hostile = (): ApiReview => {
    const r = review(false);
    const ack = r.evaluation.acknowledgements![0]!;
    return {
      ...r,
      created_by: IMG,
      attendees: ["ana", LINK, "ben\n# root"],
      decision: "hold",
      decided_at: "2026-11-27T11:00:00.000Z",
      decided_by: "*mallory*",
      sign_offs: [
        {
          by: "<ana@example.test>",
          name: "![p](http://evil/p.png)",
          via: "local",
          at: "2026-11-27T10:30:00.000Z",
        },
      ],
      rationale: "`rm -rf`",
      action_items: [{ text: "fix | it", owner: "ana\n- eve", due: null }],
      evaluation: {
        ...r.evaluation,
        phase: {
          ...r.evaluation.phase,
          criteria: [
            { ...r.evaluation.phase.criteria[0]!, evidence: { summary: "projects a|b\n| forged | row |" } },
          ],
        },
        acknowledgements: [{ ...ack, project: LINK, reason: `${IMG}\n- injected`, owner: "_o_" }],
      },
    };
  };

  test.each([
    ["started by", '- Review: r1, started 2026-11-27T10:00:00.000Z by \\<img src=x onerror="alert(1)"\\>'],
    ["attendees", "- Attendees: ana, \\[x\\](javascript:alert(1)), ben \\# root"],
    ["decided by", "- Decision: hold (2026-11-27T11:00:00.000Z by \\*mallory\\*)"],
    [
      "sign-off name and identity",
      "  - \\!\\[p\\](http://evil/p.png) \\<\\<ana@example.test\\>\\> via local at 2026-11-27T10:30:00.000Z",
    ],
    ["rationale", "- Rationale: \\`rm -rf\\`"],
    ["action item", "- [ ] fix \\| it — ana - eve, due no date"],
    [
      "acknowledgement project, reason and owner",
      '- \\[x\\](javascript:alert(1)) · container_registry · missing_in_source: \\<img src=x onerror="alert(1)"\\> - injected (\\_o\\_, until 2026-12-01T00:00:00.000Z)',
    ],
    [
      "evidence in a table cell",
      "| Divergence rate below 5% | < 5% of checks diverged | 8.00% (without acknowledged: 1.00%, met — **an acknowledgement changes this verdict**) | not met | projects a\\|b \\| forged \\| row \\| |",
    ],
  ])("%s", (_name, line) => {
    const md = reviewMarkdown(hostile());
    expect(md.split("\n")).toContain(line);
  });

  test("nothing hostile survives raw, and every line is one the export wrote", () => {
    const md = reviewMarkdown(hostile());
    expect(md).not.toMatch(/(^|[^\\])<img/);
    expect(md).not.toMatch(/(^|[^\\])\[x\]/);
    expect(md).not.toMatch(/^(# root|- eve|- injected|\| forged)/m);
  });
});

describe("who decided and signed, as people read it", () => {
  const signed = (name: string, by: string): ApiReview => ({
    ...review(false),
    decision: "advance",
    decided_at: "2026-11-27T11:00:00.000Z",
    decided_by: "ana",
    sign_offs: [{ by, name, via: "local", at: "2026-11-27T10:30:00.000Z" }],
  });
  test.each([
    ['a local identity once, not "ana <ana>"', "ana", "ana", "  - ana via local at", "\\<ana\\>"],
    [
      "a name and a different id both",
      "Ana Lima",
      "ana@example.com",
      "  - Ana Lima \\<ana@example.com\\> via local",
      null,
    ],
  ])("%s", (_, name, by, line, absent) => {
    const md = reviewMarkdown(signed(name, by));
    expect(md).toContain(line);
    if (absent) expect(md).not.toContain(absent);
  });
  test("an advance of a phase that was not ready is flagged as an override", () => {
    expect(reviewMarkdown(signed("ana", "ana"))).toContain(
      "- Decision: advance — **override: Phase 0 was not ready** (2026-11-27T11:00:00.000Z by ana)",
    );
    const ready = signed("ana", "ana");
    ready.evaluation = { ...ready.evaluation, phase: { ...ready.evaluation.phase, ready: true } };
    expect(reviewMarkdown(ready)).toContain("- Decision: advance (2026-11-27T11:00:00.000Z by ana)");
  });
});
