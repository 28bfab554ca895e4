// The verdict at a glance: the current phase, ready or not, and every criterion that decides it,
// each over the time the stored polls really cover (not the window's nominal length).
import type { PhasesReport } from "../contracts/phases";
import { pct } from "./format";

export type Verdict = { tone: "ok" | "bad" | "muted"; text: string };

const show = (v: string | number | null, target: string) =>
  v === null ? "no data yet" : typeof v === "number" && /%/.test(target) ? pct(v) : String(v);

/** "25 min of data", "3.5 h of data", "7.0 d of data"; the window's name when not known. */
export function coveredText(coveredMs: number | undefined, window: string): string {
  if (coveredMs === undefined) return window;
  if (coveredMs < 60_000) return `${Math.round(coveredMs / 1000)} s of data`;
  if (coveredMs < 2 * 3600_000) return `${Math.round(coveredMs / 60_000)} min of data`;
  if (coveredMs < 2 * 86400_000) return `${(coveredMs / 3600_000).toFixed(1)} h of data`;
  return `${(coveredMs / 86400_000).toFixed(1)} d of data`;
}

export function verdictOf(r: PhasesReport): Verdict {
  const p = r.phases[r.current_phase];
  if (!p) return { tone: "muted", text: `Phase ${r.current_phase}` };
  const over = coveredText(p.covered_ms, p.window);
  if (p.ready) return { tone: "ok", text: `Phase ${p.phase}: ready — every criterion met over ${over}` };
  const failing = p.criteria.filter((c) => c.status === "not_met");
  const missing = p.criteria.filter((c) => c.status === "insufficient_data");
  const named = failing.length ? failing : missing;
  if (!named.length) return { tone: "muted", text: `Phase ${p.phase}: not ready` };
  const why = named
    .map((c) => `${c.title.toLowerCase()}: ${show(c.actual, c.target)} over ${over}, target ${c.target}`)
    .join("; ");
  const more = failing.length && missing.length ? `; ${missing.length} more without enough data` : "";
  return failing.length
    ? { tone: "bad", text: `Phase ${p.phase}: not ready — ${why}${more}` }
    : { tone: "muted", text: `Phase ${p.phase}: not enough data yet — ${why}` };
}
