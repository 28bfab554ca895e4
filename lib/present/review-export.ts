// A review as a Markdown document. Pure.
import type { ApiReview } from "../contracts/reviews";
import type { PhaseResult } from "../core/phases";
import { formatActual, formatValue } from "../core/format";

function table(p: PhaseResult): string[] {
  const rows = p.criteria.map((c) => {
    const ack = c.acknowledged
      ? ` (without acknowledged: ${formatValue(c.id, c.acknowledged.actual)}, ${c.acknowledged.status.replace("_", " ")}${c.acknowledged.status !== c.status ? " — **an acknowledgement changes this verdict**" : ""})`
      : "";
    return `| ${c.title} | ${c.target} | ${formatActual(c)}${ack} | ${c.status.replace("_", " ")} | ${c.evidence.summary.replace(/\|/g, "\\|")} |`;
  });
  return ["| criterion | target | actual | status | evidence |", "|---|---|---|---|---|", ...rows];
}

/**
 * People's text as literal Markdown: punctuation Markdown acts on is backslash-escaped (every
 * ASCII punctuation may be, in CommonMark), so a note line "# x" stays a line, not a heading.
 */
function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>#|~!]/g, "\\$&")
    .replace(
      /^(\s*)([-+=]|\d+[.)])/gm,
      (_m, sp: string, mark: string) => `${sp}${mark.replace(/([-+=.)])/, "\\$1")}`,
    );
}

/** The document's head: what it is, where it lives, where it came from, when it was made. */
export type ExportContext = { permalink: string; environment: string; generatedAt: string };

export function reviewMarkdown(r: ApiReview, ctx?: ExportContext): string {
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
    `- Review: ${r.id}, started ${r.created_at} by ${r.created_by}`,
    `- Evaluated at ${e.evaluated_at} over ${r.window}; current phase then: ${e.current_phase}${e.simulated ? " (simulated data)" : ""}`,
    `- Attendees: ${r.attendees.length ? r.attendees.join(", ") : "—"}`,
    `- Decision: ${r.decision ?? "—"}${r.decided_at ? ` (${r.decided_at}${r.decided_by ? ` by ${r.decided_by}` : ""})` : ""}`,
    ...(r.rationale ? [`- Rationale: ${escapeMarkdown(r.rationale)}`] : []),
    ...(r.follow_up ? [`- Follow-up: ${day(r.follow_up)}`] : []),
    `- Signed off by: ${r.sign_offs.length ? "" : "—"}`,
    ...r.sign_offs.map(
      (s) => `  - ${s.name} <${s.by}> via ${s.via}${s.at ? ` at ${s.at}` : " (name typed before sign-in)"}`,
    ),
    "",
    `## ${e.phase.title}: ${e.phase.ready ? "ready" : "not ready"}`,
    "",
    ...table(e.phase),
    "",
    ...(e.next
      ? [`## Next: ${e.next.title}: ${e.next.ready ? "ready" : "not ready"}`, "", ...table(e.next), ""]
      : []),
    ...(e.acknowledgements?.length
      ? [
          "## Acknowledged differences in force",
          "",
          ...e.acknowledgements.map(
            (a) =>
              `- ${a.project}${a.source ? ` · ${a.source}` : ""}${a.kind ? ` · ${a.kind}` : ""}: ${a.reason} (${a.owner}, until ${a.expiresAt})`,
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
          ...r.action_items.map(
            (a) => `- [ ] ${escapeMarkdown(a.text)} — ${escapeMarkdown(a.owner)}, due ${day(a.due)}`,
          ),
          "",
        ]
      : []),
    "## Notes",
    "",
    r.notes ? escapeMarkdown(r.notes) : "—",
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
