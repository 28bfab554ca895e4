// A health-matrix cell's status, decided here once: the presenter emits it with each project,
// the browser shows it. A source's cell is its check's status (or absent without one).
import { LABEL_KINDS } from "./types";

export type CellStatus = "consistent" | "diverged" | "absent" | "warning";

const LABEL_SET = new Set<string>(LABEL_KINDS);

type CellFinding = { kind: string; source?: string | null; informational?: boolean };

/**
 * Docker's cell: absent without containers; else coloured by Docker's own findings (those of no
 * source). Informational label findings (CONTRACT 6e: before Phase 1) are listed, colour nothing.
 */
export function dockerStatus(p: {
  containers: readonly unknown[];
  findings: readonly CellFinding[];
}): CellStatus {
  if (p.containers.length === 0) return "absent";
  const own = p.findings.filter((f) => !f.source);
  if (own.some((f) => !LABEL_SET.has(f.kind))) return "diverged";
  if (own.some((f) => !f.informational)) return "warning";
  return "consistent";
}
