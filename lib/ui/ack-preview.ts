// What an acknowledgement would mute before it is saved (issue 27: a pattern from the UI).
// Pure: the same matching rule as the server (lib/core/acks), over the latest state.
import { matches, type Ack } from "../core/acks";
import type { ApiState } from "../contracts/state";

export type AckScope = { project: string; source: string | null; kind: string | null };

/** The projects (sorted) and findings the scope matches in `state` now. */
export function ackPreview(state: ApiState, scope: AckScope): { projects: string[]; findings: number } {
  const ack: Ack = {
    id: 0,
    project: scope.project.trim(),
    source: scope.source,
    kind: scope.kind,
    value: null,
    reason: "",
    owner: "",
    createdAt: "",
    expiresAt: "",
    endedAt: null,
  };
  const projects = new Set<string>();
  let findings = 0;
  if (!ack.project) return { projects: [], findings: 0 };
  for (const p of state.projects)
    for (const f of p.findings)
      if (
        matches(ack, p.project, {
          kind: f.kind,
          source: f.source ?? undefined,
          expected: f.expected,
          actual: f.actual,
        })
      ) {
        projects.add(p.project);
        findings += 1;
      }
  return { projects: [...projects].sort(), findings };
}

/** "Matches 3 findings in 3 projects now: alpha, beta, gamma" (at most `shown` names). */
export function previewText(p: { projects: string[]; findings: number }, shown = 8): string {
  if (p.findings === 0) return "Matches no finding now.";
  const n = p.projects.length;
  const names = p.projects.slice(0, shown).join(", ") + (n > shown ? ` and ${n - shown} more` : "");
  return `Matches ${p.findings} finding${p.findings === 1 ? "" : "s"} in ${n} project${n === 1 ? "" : "s"} now: ${names}`;
}
