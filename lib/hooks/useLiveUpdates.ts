"use client";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { applyDelta, parseOrderText, type ApiStateDelta } from "../contracts/state-live";
import type { ApiState } from "../contracts/state";
import { mergeOrderedDelta } from "../ui/state-order";

type StateKey = { host?: string; order?: string } | undefined;
const isFleet = (key: readonly unknown[]) => (key[1] as StateKey)?.host === "";

/**
 * The whole fleet's states (whole or paged) follow a delta when they show its base poll; one
 * that shows another poll (fetched meanwhile, or kept from another page) is fetched again. A
 * paged view keeps its rows in order (lib/ui/state-order): a project that moves into the rows
 * shown appears in its place, one that moves past them leaves; one whose count of matching rows
 * the delta cannot tell (filters on) is fetched again.
 */
function patchFleetState(client: QueryClient, delta: ApiStateDelta): void {
  for (const [key, s] of client.getQueriesData<ApiState>({
    queryKey: ["state"],
    predicate: (q) => isFleet(q.queryKey),
  })) {
    const text = (key[1] as StateKey)?.order;
    const order = text === undefined ? null : parseOrderText(text);
    const next =
      !s || s.poll_id !== delta.base_poll_id
        ? null
        : order
          ? mergeOrderedDelta(s, delta, order)
          : text === undefined
            ? applyDelta(s, delta)
            : null;
    if (next) client.setQueryData<ApiState>(key, next);
    else void client.invalidateQueries({ queryKey: key, exact: true });
  }
}

// One EventSource per tab, shared by every component that wants live updates.
let source: EventSource | null = null;
let users = 0;
let lastPoll: number | null = null;

function open(client: QueryClient) {
  source = new EventSource("/api/v1/stream");
  // The first event of every connection (the page's first, or after the browser reconnected)
  // says only where the server is now: polls that changed something may have happened before
  // it, while the page rendered or the stream was down. Then the page refetches if what it
  // shows is of another poll.
  let first = true;
  source.addEventListener("open", () => {
    first = true;
  });
  source.addEventListener("poll", (e) => {
    const { poll_id, changed, delta } = JSON.parse((e as MessageEvent<string>).data) as {
      poll_id: number | null;
      changed: boolean;
      delta?: ApiStateDelta;
    };
    const catchingUp = first;
    first = false;
    if (poll_id === null || poll_id === lastPoll) return;
    lastPoll = poll_id;
    // The fleet's state follows the delta (the changed rows and the headline), no refetch.
    if (delta) {
      patchFleetState(client, delta);
      if (changed)
        void client.invalidateQueries({ queryKey: ["state"], predicate: (q) => !isFleet(q.queryKey) });
      return;
    }
    const behind =
      catchingUp &&
      client
        .getQueriesData<{ poll_id: number | null }>({ queryKey: ["state"] })
        .some(([, shown]) => shown?.poll_id !== poll_id);
    // A poll that changed nothing on screen waits for the refresh tick (the freshness line).
    if (changed || behind) void client.invalidateQueries({ queryKey: ["state"] });
  });
}

/** Whether this tab's event stream is open: the fleet's state then follows its deltas, no polling. */
export const streamOpen = () => source !== null && source.readyState === 1;

/**
 * Fetches the state as soon as the server has polled (server-sent events), so a container
 * killed shows within a second or two instead of on the next refresh tick. Off while the page's
 * refresh is paused; the refresh interval stays as the fallback when events cannot flow.
 */
export function useLiveUpdates(enabled: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    users += 1;
    if (!source) open(client);
    return () => {
      users -= 1;
      if (users === 0 && source) {
        source.close();
        source = null;
        lastPoll = null;
      }
    };
  }, [enabled, client]);
}
