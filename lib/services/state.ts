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

const HEARTBEAT_MS = 25_000;

/**
 * Server-sent events: `poll` (poll_id, polled_at, changed) after every poll, so open pages fetch
 * the new state at once when something they show changed, instead of on their next refresh tick; a comment line every 25 s keeps
 * proxies from closing the connection. `no-transform` keeps compression from buffering it.
 */
export function pollStream(signal: AbortSignal): Response {
  const collector = getCollector();
  const enc = new TextEncoder();
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(enc.encode(text));
        } catch {
          stop();
        }
      };
      const event = (s: Pick<ApiState, "poll_id" | "polled_at"> | null, changed: boolean) =>
        send(
          `event: poll\ndata: ${JSON.stringify({ poll_id: s?.poll_id ?? null, polled_at: s?.polled_at ?? null, changed })}\n\n`,
        );
      send("retry: 3000\n\n");
      event(collector.latestState(), false);
      const off = collector.onPolled((s, _at, changed) => event(s, changed));
      const ping = setInterval(() => send(": ping\n\n"), HEARTBEAT_MS);
      stop = () => {
        off();
        clearInterval(ping);
      };
      signal.addEventListener("abort", () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
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
