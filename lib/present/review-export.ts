// A review as a Markdown document. Pure.
import type { ApiReview } from "../contracts/reviews";
import type { PhaseResult } from "../core/phases";

function table(p: PhaseResult): string[] {
  const rows = p.criteria.map(
    (c) =>
      `| ${c.title} | ${c.target} | ${c.actual ?? "—"} | ${c.status.replace("_", " ")} | ${c.evidence.summary.replace(/\|/g, "\\|")} |`,
  );
  return ["| criterion | target | actual | status | evidence |", "|---|---|---|---|---|", ...rows];
}

export function reviewMarkdown(r: ApiReview): string {
  const e = r.evaluation;
  return [
    `# Phase ${r.phase} review — ${r.decision ? r.decision.replace("_", " ") : "undecided"}`,
    "",
    `- Review: ${r.id}, started ${r.created_at} by ${r.created_by}`,
    `- Evaluated at ${e.evaluated_at} over ${r.window}; current phase then: ${e.current_phase}${e.simulated ? " (simulated data)" : ""}`,
    `- Attendees: ${r.attendees.length ? r.attendees.join(", ") : "—"}`,
    `- Decision: ${r.decision ?? "—"}${r.decided_at ? ` (${r.decided_at}${r.decided_by ? ` by ${r.decided_by}` : ""})` : ""}`,
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
    "## Notes",
    "",
    r.notes || "—",
    "",
  ].join("\n");
}
