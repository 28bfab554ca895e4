"use client";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

// One EventSource per tab, shared by every component that wants live updates.
let source: EventSource | null = null;
let users = 0;
let lastPoll: number | null = null;

function open(client: QueryClient) {
  source = new EventSource("/api/v1/stream");
  source.addEventListener("poll", (e) => {
    const { poll_id, changed } = JSON.parse((e as MessageEvent<string>).data) as {
      poll_id: number | null;
      changed: boolean;
    };
    if (poll_id === null || poll_id === lastPoll) return;
    lastPoll = poll_id;
    // A poll that changed nothing on screen waits for the refresh tick (the freshness line).
    if (changed) void client.invalidateQueries({ queryKey: ["state"] });
  });
}

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
