// A review as a Markdown document. Pure.
import type { StoredReview } from "../contracts/reviews";
import { isOverride } from "../core/decision";
import type { PhaseResult } from "../core/phases";
import { formatActual, formatValue } from "../core/format";
import { escapeMarkdown } from "../core/escape";
import { predictionMarkdown } from "./prediction-export";
import { certaintyText } from "../core/certainty";

/** People's and the fleet's text on one line (a list item, a table cell). */
const md = (text: string) => escapeMarkdown(text, "inline");

function table(p: PhaseResult): string[] {
  const rows = p.criteria.map((c) => {
    const ack = c.acknowledged
      ? ` (without acknowledged: ${formatValue(c.id, c.acknowledged.actual)}, ${c.acknowledged.status.replace("_", " ")}${c.acknowledged.status !== c.status ? " — **an acknowledgement changes this verdict**" : ""})`
      : "";
    const sure = certaintyText(c);
    return `| ${c.title} | ${c.target} | ${formatActual(c)}${ack} | ${c.status.replace("_", " ")}${sure ? ` (${sure})` : ""} | ${md(c.evidence.summary)} |`;
  });
  return ["| criterion | target | actual | status | evidence |", "|---|---|---|---|---|", ...rows];
}

/** The document's head: what it is, where it lives, where it came from, when it was made. */
export type ExportContext = { permalink: string; environment: string; generatedAt: string };

export function reviewMarkdown(r: StoredReview, ctx?: ExportContext): string {
  const e = r.evaluation;
  const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "no date");
  return [
    ...(ctx
      ? [
          `<!-- L9 State Health review export · generated ${ctx.generatedAt} (UTC) · ${ctx.environment} · ${ctx.permalink} -->`,
          "",
        ]
      : []),
    `# Phase ${r.phase} review — ${r.decision ? r.decision.replace("_", " ") : "undecided"}`,
    "",
    `- Review: ${r.id}, started ${r.created_at} by ${md(r.created_by)}`,
    `- Evaluated at ${e.evaluated_at} over ${r.window}; current phase then: ${e.current_phase}${e.simulated ? " (simulated data)" : ""}`,
    `- Attendees: ${r.attendees.length ? r.attendees.map(md).join(", ") : "—"}`,
    `- Decision: ${r.decision ?? "—"}${isOverride(r) ? ` — **override: Phase ${r.phase} was not ready**` : ""}${r.decided_at ? ` (${r.decided_at}${r.decided_by ? ` by ${md(r.decided_by)}` : ""})` : ""}`,
    ...(r.rationale ? [`- Rationale: ${escapeMarkdown(r.rationale, "block")}`] : []),
    ...(r.follow_up ? [`- Follow-up: ${day(r.follow_up)}`] : []),
    `- Signed off by: ${r.sign_offs.length ? "" : "—"}`,
    ...r.sign_offs.map(
      (s) =>
        `  - ${md(s.name)}${s.name.toLowerCase() === s.by.toLowerCase() ? "" : ` \\<${md(s.by)}\\>`} via ${s.via}${s.at ? ` at ${s.at}` : " (name typed before sign-in)"}`,
    ),
    "",
    `## ${e.phase.title}: ${e.phase.ready ? "ready" : "not ready"}`,
    "",
    ...table(e.phase),
    "",
    ...(e.next
      ? [
          `## Next: ${e.next.title}: ${e.next.ready ? "ready" : "not ready"}`,
          "",
          ...table(e.next),
          "",
          ...predictionMarkdown(e.next),
        ]
      : []),
    ...(e.acknowledgements?.length
      ? [
          "## Acknowledged differences in force",
          "",
          ...e.acknowledgements.map(
            (a) =>
              `- ${md(a.project)}${a.source ? ` · ${md(a.source)}` : ""}${a.kind ? ` · ${md(a.kind)}` : ""}: ${md(a.reason)} (${md(a.owner)}, until ${a.expiresAt})`,
          ),
          "",
          r.accept_acknowledged
            ? "The review accepts these differences: verdicts without them apply."
            : "The review does not accept them: the raw verdicts apply.",
          "",
        ]
      : []),
    ...(r.action_items.length
      ? [
          "## Action items",
          "",
          ...r.action_items.map((a) => `- [ ] ${md(a.text)} — ${md(a.owner)}, due ${day(a.due)}`),
          "",
        ]
      : []),
    "## Notes",
    "",
    r.notes ? escapeMarkdown(r.notes, "block") : "—",
    "",
    ...(ctx
      ? [
          "---",
          "",
          `Generated ${ctx.generatedAt} (UTC) from ${ctx.environment}. Permalink: ${ctx.permalink}`,
          "",
        ]
      : []),
  ].join("\n");
}
