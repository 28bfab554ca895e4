// CONTRACT 7a: with many live processes, each holding its own projects, an orphan is decided
// once per host against their union: a running container no live process holds.
import type { Check, Container, Source } from "../types";

export const UNION_SOURCE = "active_indexers:*";

/** Live (ok) orchestrator processes on the host. */
export const liveProcesses = (okSources: readonly Source[]) =>
  okSources.filter((s) => s.kind === "active_indexers").length;

/**
 * With two or more live processes a process has checks only for what it holds; with one, it
 * is the union itself and keeps section 2's orphan check (main's shape, results as before).
 */
export const decidedByUnion = (live: number) => live > 1;

/** The one `active_indexers:*` check of a project, or null when some live process holds it. */
export function unionOrphanCheck(
  project: string,
  running: readonly Container[],
  okSources: readonly Source[],
): Check | null {
  const c = running[0];
  if (!c) return null;
  for (const s of okSources) if (s.kind === "active_indexers" && s.entries.has(project)) return null;
  const live = okSources.filter((s) => s.kind === "active_indexers").map((s) => s.id.slice(16));
  return {
    source: UNION_SOURCE,
    project,
    status: "diverged",
    findings: [
      {
        project,
        source: UNION_SOURCE,
        kind: "missing_in_source",
        container_id: c.id,
        expected: null,
        actual: c.id,
        message: `no live orchestrator holds ${project}: Docker runs ${c.id.slice(0, 12)}, and none of the ${live.length} live processes (${live.join(", ")}) has it`,
      },
    ],
  };
}
