"use client";
import { useEffect, useState } from "react";

/** The current time, re-read every `ms` (for "3 s ago" and durations). */
export function useNow(ms = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
