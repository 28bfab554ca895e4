// Display formatting. Pure.
import { formatDuration } from "../core/time";

export const pct = (r: number | null | undefined, digits = 1) =>
  r === null || r === undefined ? "—" : `${(r * 100).toFixed(digits)}%`;

export function since(iso: string | null, now: Date): string {
  if (!iso) return "";
  return formatDuration(Math.max(0, now.getTime() - Date.parse(iso)));
}

export function ago(iso: string | null, now: Date): string {
  if (!iso) return "never";
  const ms = now.getTime() - Date.parse(iso);
  if (ms < 1500) return "just now";
  return `${formatDuration(ms)} ago`;
}

export { formatDuration };
