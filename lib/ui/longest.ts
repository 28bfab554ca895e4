// The overview's "where" (issue 27): the projects diverged the longest, how long and where.
// Pure: from the matrix rows (lib/ui/matrix), oldest divergence first.
import type { MatrixRow } from "./matrix";

export type LongDiverged = {
  key: string;
  project: string;
  host: string | null;
  since: string;
  places: string[];
};

/**
 * Up to `n` diverged projects by how long they have been diverged (oldest first, then by name,
 * so the list does not reshuffle between polls), each with the places that differ.
 */
export function longestDiverged(rows: readonly MatrixRow[], n = 5): { top: LongDiverged[]; total: number } {
  const diverged = rows
    .filter((r): r is MatrixRow & { since: string } => r.health === "diverged" && r.since !== null)
    .sort((a, b) => a.since.localeCompare(b.since) || a.project.localeCompare(b.project));
  return {
    total: rows.filter((r) => r.health === "diverged").length,
    top: diverged.slice(0, n).map((r) => ({
      key: r.key,
      project: r.project,
      host: r.host,
      since: r.since,
      places: r.cells.filter((c) => c.status === "diverged").map((c) => c.source),
    })),
  };
}
