// A later phase's prediction (issue 24, 3) in a review's Markdown export, under its measured
// criteria. Pure.
import type { PhaseResult } from "../core/phases";
import { formatActual } from "../core/format";
import { escapeMarkdown } from "../core/escape";

export function predictionMarkdown(p: PhaseResult): string[] {
  const x = p.prediction;
  if (!x) return [];
  const md = (t: string) => escapeMarkdown(t, "inline");
  const fallbacks = x.fallback_projects ?? [];
  return [
    `### What Phase ${p.phase} would do: predicted from ${x.from_polls} polls, not measured`,
    "",
    "| criterion | target | predicted | status | evidence |",
    "|---|---|---|---|---|",
    ...x.criteria.map(
      (c) =>
        `| ${c.title} | ${c.target} | ${formatActual(c)} | predicted ${c.status.replace("_", " ")} | ${md(c.evidence.summary)} |`,
    ),
    "",
    ...(fallbacks.length
      ? [
          `Would fall back (${x.fallback_projects_total ?? fallbacks.length} of the projects): ` +
            fallbacks.map((f) => `${md(f.project)} (${f.reason.replace(/_/g, " ")})`).join(", "),
          "",
        ]
      : []),
  ];
}
