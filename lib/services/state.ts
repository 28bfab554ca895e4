import "server-only";
import { getCollector } from "../collector/runtime";
import { getDb } from "../db";
import type { ApiProjectDetail, ApiState } from "../contracts/state";
import {
  getProjectCheckCounts,
  getProjectContainers,
  getProjectEpisodes,
  projectIsKnown,
} from "../store/history";
import { roundRate } from "../core/divergence";
import { ApiError } from "../http";
import { parseRange } from "../core/time";

/** The latest poll; waits for the first one when this process has not polled yet. */
export async function getState(): Promise<ApiState> {
  const collector = getCollector();
  return collector.latestState() ?? (await collector.pollOnce());
}

/** Whether a project is in the latest poll or in stored history (the project page's 404). */
export async function projectExists(name: string): Promise<boolean> {
  const state = await getState().catch(() => null);
  if (state?.projects.some((p) => p.project === name)) return true;
  return projectIsKnown(getDb(), name);
}

export async function getProjectDetail(
  name: string,
  search: URLSearchParams,
  now: Date = new Date(),
): Promise<ApiProjectDetail> {
  const { from, to } = parseRange(search.get("from"), search.get("to"), now, 24 * 3600_000);
  const state = await getState();
  const current = state.projects.find((p) => p.project === name) ?? null;
  const db = getDb();
  if (!current && !(await projectIsKnown(db, name)))
    throw new ApiError(
      "not_found",
      `no project named ${JSON.stringify(name)} in Docker, any source or stored history`,
    );
  const [episodes, counts, containers] = await Promise.all([
    getProjectEpisodes(db, name, from, to, now),
    getProjectCheckCounts(db, name, from, to),
    getProjectContainers(db, name, from, to),
  ]);
  return {
    project: name,
    from: from.toISOString(),
    to: to.toISOString(),
    current,
    episodes,
    checks: counts.checks,
    diverged: counts.diverged,
    divergence_rate: roundRate(counts.diverged, counts.checks),
    containers_history: containers,
  };
}
