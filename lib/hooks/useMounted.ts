"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** False on the server and while hydrating, true after: time-relative text renders only then. */
export function useMounted(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
