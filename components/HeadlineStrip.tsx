"use client";
import type { ApiState } from "@/lib/contracts/state";
import type { ApiOverview } from "@/lib/contracts/overview";
import { pct, targetPct } from "@/lib/ui/format";

function Figure({
  label,
  value,
  sub,
  tone,
}: {
  label: string;
  value: string;
  sub: string;
  tone?: "ok" | "bad" | "warn" | "muted";
}) {
  return (
    <div className={`figure tone-${tone ?? "muted"}`}>
      <div className="figure-label">{label}</div>
      <div className="figure-value">{value}</div>
      <div className="figure-sub">{sub}</div>
    </div>
  );
}

/** A rate against its gate's target from the API; muted while either is unknown. */
const rateTone = (r: number | null, target: number | undefined) =>
  r === null || target === undefined ? "muted" : r < target ? "ok" : "bad";

/** Divergence now, 24 h and 7 d against the gate's target (from the overview); health counts; fallback; latency — each with its sample size. */
export function HeadlineStrip({
  state,
  overview,
}: {
  state: ApiState | undefined;
  overview: ApiOverview | undefined;
}) {
  const w = (name: string) => overview?.windows.find((x) => x.window === name);
  const d24 = w("24h");
  const d7 = w("7d");
  const reachable = state?.docker.reachable ?? false;
  const h = state?.summary.health;
  const target = overview?.targets;
  const targetText = (r: number | undefined) => (r === undefined ? "" : ` · target < ${targetPct(r)}`);
  return (
    <div className="strip" data-testid="headline">
      <Figure
        label="Divergence now"
        value={state && reachable ? pct(state.summary.divergence_rate) : "—"}
        sub={
          state
            ? reachable
              ? `${state.summary.diverged} of ${state.summary.checks} checks${targetText(target?.divergence_rate)}` +
                (state.summary.acknowledgements_in_force
                  ? ` · ${pct(state.summary.divergence_rate_acknowledged)} without acknowledged`
                  : "")
              : "Docker unreachable: no checks"
            : "…"
        }
        tone={
          state && reachable
            ? rateTone(state.summary.checks ? state.summary.divergence_rate : null, target?.divergence_rate)
            : "muted"
        }
      />
      <Figure
        label="Divergence 24 h"
        value={pct(d24?.divergence_rate ?? null)}
        sub={d24 ? `${d24.diverged} of ${d24.checks} checks · ${d24.polls} polls` : "…"}
        tone={rateTone(d24?.divergence_rate ?? null, target?.divergence_rate)}
      />
      <Figure
        label="Divergence 7 d"
        value={pct(d7?.divergence_rate ?? null)}
        sub={d7 ? `${d7.diverged} of ${d7.checks} checks · ${d7.polls} polls` : "…"}
        tone={rateTone(d7?.divergence_rate ?? null, target?.divergence_rate)}
      />
      <Figure
        label="Projects"
        value={state ? String(state.summary.projects) : "—"}
        sub={
          h
            ? `${h.consistent} consistent · ${h.warning} warning · ${h.diverged} diverged · ${h.unknown} unknown`
            : "…"
        }
        tone={h && h.diverged > 0 ? "bad" : h && h.unknown > 0 ? "warn" : "ok"}
      />
      <Figure
        label="Fallback 24 h"
        value={pct(d24?.fallback_rate ?? null)}
        sub={
          d24
            ? `${d24.fallback} of ${d24.reads} reads${d24.unanswered ? ` · ${d24.unanswered} unanswered` : ""}${targetText(target?.fallback_rate)}`
            : "…"
        }
        tone={rateTone(d24?.fallback_rate ?? null, target?.fallback_rate)}
      />
      <Figure
        label="Docker list latency"
        value={state?.docker.latency_ms != null ? `${state.docker.latency_ms} ms` : "—"}
        sub={state ? `one list of the managed containers, at the last poll · ${state.docker.endpoint}` : "…"}
        tone={reachable ? "ok" : "bad"}
      />
    </div>
  );
}
