// The verdict at a glance: the current phase, ready or not, and the criterion that decides it.
import type { PhasesReport } from "../contracts/phases";
import { pct } from "./format";

export type Verdict = { tone: "ok" | "bad" | "muted"; text: string };

const show = (v: string | number | null, target: string) =>
  v === null ? "no data yet" : typeof v === "number" && /%/.test(target) ? pct(v) : String(v);

export function verdictOf(r: PhasesReport): Verdict {
  const p = r.phases[r.current_phase];
  if (!p) return { tone: "muted", text: `Phase ${r.current_phase}` };
  if (p.ready) return { tone: "ok", text: `Phase ${p.phase}: ready — every criterion met over ${p.window}` };
  const failing = p.criteria.find((c) => c.status === "not_met");
  const missing = p.criteria.find((c) => c.status === "insufficient_data");
  const c = failing ?? missing;
  if (!c) return { tone: "muted", text: `Phase ${p.phase}: not ready` };
  const why = `${c.title.toLowerCase()}: ${show(c.actual, c.target)} over ${p.window}, target ${c.target}`;
  return failing
    ? { tone: "bad", text: `Phase ${p.phase}: not ready — ${why}` }
    : { tone: "muted", text: `Phase ${p.phase}: not enough data yet — ${why}` };
}
