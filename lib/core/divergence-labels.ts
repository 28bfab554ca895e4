// CONTRACT.md section 2's label findings (and 6e, 7d) for one running container. Pure.
import { projectHash } from "./paths";
import { parsePort } from "./ports";
import { hashVerdict, truncatedHashMessage } from "./adr/labels";
import type { Container, Finding } from "./types";

export const PHASE1_LABELS = ["com.l9.project_hash", "com.l9.port", "com.l9.project_path"] as const;

const short = (id: string) => id.slice(0, 12);

// Shared empty lists: most checks and projects find nothing, and at 10,000 projects one fresh
// array each is most of the core's garbage. Frozen, so nobody can push into them by mistake.
export const NO_FINDINGS = Object.freeze([]) as unknown as Finding[];

/**
 * Label findings of one running container. `informational`: they do not change health
 * (CONTRACT 6e: the container predates Phase 1's start, or Phase 1 has not started).
 */
export function labelFindings(c: Container, project: string, informational = false): Finding[] {
  let out = NO_FINDINGS;
  const hash = c.labels["com.l9.project_hash"];
  const projectPath = c.labels["com.l9.project_path"];
  const portLabel = c.labels["com.l9.port"];
  // The common case, all three labels right, allocates nothing.
  if (
    hash &&
    projectPath &&
    portLabel &&
    hash === projectHash(projectPath) &&
    (c.boundPort === null || parsePort(portLabel) === c.boundPort)
  )
    return out;
  out = [];
  const missing = PHASE1_LABELS.filter((k) => !c.labels[k]);
  if (missing.length > 0) {
    const present = PHASE1_LABELS.filter((k) => c.labels[k]);
    out.push({
      kind: "labels_missing",
      project,
      container_id: c.id,
      expected: PHASE1_LABELS.join(", "),
      actual: present.length ? present.join(", ") : null,
      message: `container ${short(c.id)} lacks ${missing.join(", ")}`,
    });
  }
  if (hash && projectPath) {
    const want = projectHash(projectPath);
    const verdict = hashVerdict(hash, projectPath);
    if (verdict === "label_hash_truncated") {
      out.push({
        kind: "label_hash_truncated",
        project,
        container_id: c.id,
        expected: want,
        actual: hash,
        message: truncatedHashMessage(short(c.id), hash, projectPath),
      });
    } else if (hash !== want) {
      out.push({
        kind: "label_hash_invalid",
        project,
        container_id: c.id,
        expected: want,
        actual: hash,
        message: `container ${short(c.id)}: com.l9.project_hash is not sha256 of ${projectPath}`,
      });
    }
  }
  if (portLabel && c.boundPort !== null && parsePort(portLabel) !== c.boundPort) {
    out.push({
      kind: "label_port_mismatch",
      project,
      container_id: c.id,
      expected: c.boundPort,
      actual: portLabel,
      message: `container ${short(c.id)}: com.l9.port is ${portLabel}, bound port is ${c.boundPort}`,
    });
  }
  return informational ? out.map((f) => ({ ...f, informational: true as const })) : out;
}

export function labelsInformational(c: Container, sinceMs: number | null | undefined): boolean {
  if (sinceMs === undefined) return false;
  return sinceMs === null || c.createdMs < sinceMs;
}
