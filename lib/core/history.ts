// What a poll changes in stored history, as a pure plan: which finding episodes open and
// close, which check runs start and end, which containers are new, changed or gone.
// History grows with change, not with time: a poll where nothing changed plans nothing.
import { labelFindings } from "./divergence";
import type { Container, DivergenceResult, Finding, Source } from "./types";

export type EpisodeKeyParts = { project: string; source: string; kind: string; subject: string };
export type OpenEpisode = EpisodeKeyParts & { id: number; openedAt: Date };
export type OpenRun = { id: number; project: string; source: string; diverged: boolean; startSeq: number };
export type KnownContainer = { id: string; state: string; port: number | null; removed: boolean };

export type NewEpisode = EpisodeKeyParts & { openedAt: Date; detail: FindingDetail };
export type FindingDetail = Pick<Finding, "message" | "expected" | "actual" | "container_id" | "source">;

export type HistoryPlan = {
  openEpisodes: NewEpisode[];
  closeEpisodes: { id: number; key: string; closedAt: Date }[];
  openRuns: Omit<OpenRun, "id">[];
  closeRuns: { id: number; key: string; endSeq: number }[];
  newContainers: { container: Container; labelIssues: string[] }[];
  changedContainers: { id: string; state: string; port: number | null; stopped: boolean }[];
  removedContainers: string[];
};

export function findingSubject(f: Finding): string {
  if (f.kind === "port_conflict") return `port:${f.actual}`;
  // CONTRACT 7b: one episode per leaked container, also when it names its crashed holder.
  if (f.kind === "leaked_container") return f.container_id ?? "";
  return f.container_id && !f.source ? f.container_id : "";
}

export function episodeKey(p: EpisodeKeyParts): string {
  return JSON.stringify([p.project, p.source, p.kind, p.subject]);
}

export const runKey = (project: string, source: string) => JSON.stringify([project, source]);

export function planHistory(
  prev: {
    episodes: ReadonlyMap<string, OpenEpisode>;
    runs: ReadonlyMap<string, OpenRun>;
    containers: ReadonlyMap<string, KnownContainer>;
  },
  result: DivergenceResult,
  sources: Source[],
  poll: { polledAt: Date; seq: number; reachable: boolean; containers: Container[] },
): HistoryPlan {
  const plan: HistoryPlan = {
    openEpisodes: [],
    closeEpisodes: [],
    openRuns: [],
    closeRuns: [],
    newContainers: [],
    changedContainers: [],
    removedContainers: [],
  };
  // Docker unreachable: nothing is known, so nothing opens or closes.
  if (!poll.reachable) return plan;

  // Episodes of an unreadable source stay open: its last good data stands until it reads again.
  const held = new Set(sources.filter((s) => s.status === "unreadable").map((s) => s.id));
  const current = new Map<string, NewEpisode>();
  // Issue 25: an in-flight finding opens no episode, and keeps an open one open.
  const inFlight = new Set<string>();
  for (const p of result.projects) {
    for (const f of p.findings) {
      const parts = { project: p.project, source: f.source ?? "", kind: f.kind, subject: findingSubject(f) };
      const key = episodeKey(parts);
      if (f.in_flight) {
        inFlight.add(key);
        continue;
      }
      if (!current.has(key)) {
        current.set(key, {
          ...parts,
          openedAt: poll.polledAt,
          detail: {
            message: f.message,
            expected: f.expected,
            actual: f.actual,
            container_id: f.container_id,
            source: f.source,
          },
        });
      }
    }
  }
  for (const [key, ep] of prev.episodes) {
    if (!current.has(key) && !held.has(ep.source) && !inFlight.has(key))
      plan.closeEpisodes.push({ id: ep.id, key, closedAt: poll.polledAt });
  }
  for (const [key, ep] of current) if (!prev.episodes.has(key)) plan.openEpisodes.push(ep);

  const checks = new Map<string, { project: string; source: string; diverged: boolean }>();
  for (const p of result.projects)
    for (const c of p.checks)
      checks.set(runKey(p.project, c.source), {
        project: p.project,
        source: c.source,
        // Issue 25: an in-flight check is not a diverged one in the check runs.
        diverged: c.status === "diverged" && !c.in_flight,
      });
  for (const [key, run] of prev.runs) {
    const now = checks.get(key);
    if (!now || now.diverged !== run.diverged) plan.closeRuns.push({ id: run.id, key, endSeq: poll.seq - 1 });
  }
  for (const [key, c] of checks) {
    const run = prev.runs.get(key);
    if (!run || run.diverged !== c.diverged) plan.openRuns.push({ ...c, startSeq: poll.seq });
  }

  const seen = new Set<string>();
  for (const c of poll.containers) {
    seen.add(c.id);
    const known = prev.containers.get(c.id);
    if (!known) {
      const issues = c.project ? labelFindings(c, c.project).map((f) => f.kind) : ["labels_missing"];
      plan.newContainers.push({ container: c, labelIssues: issues });
    } else if (known.state !== c.state || known.port !== c.port) {
      plan.changedContainers.push({
        id: c.id,
        state: c.state,
        port: c.port,
        stopped: known.state === "running" && c.state !== "running",
      });
    }
  }
  for (const [id, k] of prev.containers) if (!k.removed && !seen.has(id)) plan.removedContainers.push(id);
  return plan;
}

/** Is a plan empty (nothing but the poll's own summary row to write)? */
export function planIsEmpty(plan: HistoryPlan): boolean {
  return Object.values(plan).every((list) => list.length === 0);
}
