import "server-only";
import { live } from "../collector/runtime";
import { hostFilter } from "./evaluate";
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
import { env, retentionLimit } from "../env";
import { diffState, pageOf, projectTexts, type ApiStatePage } from "../contracts/state-live";
import { stateOrderQuery, statePageQuery } from "../contracts/state-query";
import { orderedPage } from "../ui/state-order";

const ORDER_FIELDS = ["sort", "dir", "health", "kind", "source", "labels", "q"] as const;

/**
 * `?limit=&cursor=`: the headline and one page of projects (issue 26), bounded; in (host,
 * project) order, or with `sort=` (and the matrix's filters) in the order the matrix shows.
 */
function statePage(state: ApiState, search: URLSearchParams): ApiStatePage {
  const bad = (issues: { message: string }[]) =>
    new ApiError("bad_request", issues.map((i) => i.message).join("; "));
  const limit = statePageQuery.shape.limit.safeParse(search.get("limit"));
  if (!limit.success) throw bad(limit.error.issues.map((i) => ({ message: `limit: ${i.message}` })));
  if (!search.has("sort")) {
    const q = statePageQuery.safeParse({
      limit: search.get("limit"),
      cursor: search.get("cursor") ?? undefined,
    });
    if (!q.success) throw bad(q.error.issues);
    return pageOf(state, q.data.limit, q.data.cursor);
  }
  const o = stateOrderQuery.safeParse({
    ...Object.fromEntries(ORDER_FIELDS.flatMap((k) => (search.has(k) ? [[k, search.get(k)]] : []))),
    ...(search.has("cursor") ? { cursor: search.get("cursor") } : {}),
  });
  if (!o.success) throw bad(o.error.issues);
  return orderedPage(state, limit.data, o.data);
}

/**
 * The latest poll; waits for the first one when this process has not polled yet. On a server
 * (issue 14): every host's latest, each project with its host, `?host=` to narrow.
 */
export async function getState(search: URLSearchParams | null = null): Promise<ApiState> {
  const state = await live().state(hostFilter(search));
  return search?.has("limit") ? statePage(state, search) : state;
}

const HEARTBEAT_MS = 25_000;

// One publish hands every stream the same state object: its projects' JSON is made once.
const texts = new WeakMap<ApiState, Map<string, string>>();
function textsOf(s: ApiState): Map<string, string> {
  let t = texts.get(s);
  if (!t) texts.set(s, (t = projectTexts(s)));
  return t;
}

/**
 * Server-sent events: `poll` (poll_id, polled_at, changed) after every poll, so open pages fetch
 * the new state at once when something they show changed, instead of on their next refresh tick; a comment line every 25 s keeps
 * proxies from closing the connection. `no-transform` keeps compression from buffering it.
 */
export function pollStream(signal: AbortSignal): Response {
  const source = live();
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
      // Each event after the first carries what changed since this connection's previous one.
      let shown: Parameters<typeof diffState>[0] = null;
      const event = (s: ApiState | null, changed: boolean) => {
        const d = s ? diffState(shown, s, textsOf(s)) : null;
        if (d) shown = d.next;
        send(
          `event: poll\ndata: ${JSON.stringify({ poll_id: s?.poll_id ?? null, polled_at: s?.polled_at ?? null, changed, ...(d?.delta ? { delta: d.delta } : {}) })}\n\n`,
        );
      };
      send("retry: 3000\n\n");
      event(source.latestState(), false);
      const off = source.onPolled((s, _at, changed) => event(s, changed));
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
export async function projectExists(name: string, host = ""): Promise<boolean> {
  const state = await getState().catch(() => null);
  if (state?.projects.some((p) => p.project === name && (!host || p.host === host))) return true;
  return projectIsKnown(getDb(), name, host);
}

export async function getProjectDetail(
  name: string,
  search: URLSearchParams,
  now: Date = new Date(),
): Promise<ApiProjectDetail> {
  const { from, to } = parseRange(
    search.get("from"),
    search.get("to"),
    now,
    24 * 3600_000,
    retentionLimit(env()),
  );
  const state = await getState();
  // On a server a name can repeat across hosts: `?host=` picks one (else the first, by host).
  const wanted = search.get("host") ?? "";
  const current = state.projects.find((p) => p.project === name && (!wanted || p.host === wanted)) ?? null;
  const host = current?.host ?? wanted;
  const db = getDb();
  if (!current && !(await projectIsKnown(db, name, host)))
    throw new ApiError(
      "not_found",
      `no project named ${JSON.stringify(name)}${host ? ` on host ${JSON.stringify(host)}` : ""} in Docker, any source or stored history`,
    );
  const [episodes, counts, containers] = await Promise.all([
    getProjectEpisodes(db, name, from, to, now, host),
    getProjectCheckCounts(db, name, from, to, host),
    getProjectContainers(db, name, from, to, host),
  ]);
  return {
    project: name,
    ...(host ? { host } : {}),
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
