"use client";
import { useSearchParams } from "next/navigation";
import { useCallback, useSyncExternalStore } from "react";
import { formatTime, zoneName, zoneParam, type Zone } from "../ui/clock";

const KEY = "l9-tz";
const listeners = new Set<() => void>();
const subscribe = (cb: () => void) => (listeners.add(cb), () => void listeners.delete(cb));
const saved = (): Zone => zoneParam(window.localStorage.getItem(KEY)) ?? "local";
// Read from the address bar itself, so a switch shows at once (not when the router catches up).
const current = (): Zone => zoneParam(new URLSearchParams(window.location.search).get("tz")) ?? saved();

/**
 * The zone times are shown in: `?tz=utc` (or `tz=local`) in the URL wins, so a shared link shows
 * the same clock; else the viewer's last choice; else their own zone. While server-rendering
 * and hydrating it is UTC, named as such, so no text changes under a reader's eyes unnamed.
 */
export function useClock() {
  // Re-renders on navigation (a link with or without tz=); the zone itself is read below.
  useSearchParams();
  const zone = useSyncExternalStore(subscribe, current, () => "utc" as Zone);
  const mounted = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const fmt = useCallback(
    (at: string | number | Date, opts?: Parameters<typeof formatTime>[2]) => formatTime(at, zone, opts),
    [zone],
  );
  const setZone = useCallback((z: Zone) => {
    window.localStorage.setItem(KEY, z);
    const url = new URL(window.location.href);
    if (url.searchParams.has("tz") || z === "utc") {
      if (z === "utc") url.searchParams.set("tz", "utc");
      else url.searchParams.delete("tz");
      window.history.replaceState(null, "", url);
    }
    listeners.forEach((l) => l());
  }, []);
  return { zone, name: mounted ? zoneName(zone) : "UTC", fmt, setZone, mounted };
}
