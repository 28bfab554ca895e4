"use client";
import { useEffect, useSyncExternalStore } from "react";

type Theme = "system" | "light" | "dark";
const KEY = "l9-theme";
const listeners = new Set<() => void>();

function read(): Theme {
  const saved = window.localStorage.getItem(KEY);
  return saved === "light" || saved === "dark" ? saved : "system";
}

function subscribe(cb: () => void) {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

/** Light, dark or the system's; remembered in localStorage ("system" while server-rendering). */
export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribe, read, () => "system" as Theme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === "system") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", theme);
  }, [theme]);
  const set = (t: Theme) => {
    window.localStorage.setItem(KEY, t);
    listeners.forEach((l) => l());
  };
  return (
    <label className="theme-toggle">
      <span className="sr-only">Theme</span>
      <select value={theme} onChange={(e) => set(e.target.value as Theme)} aria-label="Colour theme">
        <option value="system">system theme</option>
        <option value="light">light</option>
        <option value="dark">dark</option>
      </select>
    </label>
  );
}
