"use client";
import { useState } from "react";
import { useSetPhaseMutation, useStartReviewMutation } from "@/lib/hooks/mutations";
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import Link from "next/link";
import { usePhasesQuery } from "@/lib/hooks/usePhasesQuery";
import { useReviewsQuery } from "@/lib/hooks/useReviewQuery";
import { DEFAULT_REFRESH_MS } from "@/lib/query";
import { PHASE_WINDOWS, type PhaseResult } from "@/lib/core/phase-types";
import { useSeriesQuery } from "@/lib/hooks/queries";
import { criterionTrend } from "@/lib/ui/charts";
import type { SeriesPoint } from "@/lib/contracts/overview";
import { Sparkline } from "./Sparkline";
import { useRange } from "@/lib/hooks/useRange";
import { CriteriaTable, ReadyBadge } from "./CriteriaTable";
import { ModeRollbacks, PhaseModeNote } from "./PhaseModeNote";
import { PhaseTimeline } from "./review/Certainty";
import { Panel } from "./Panel";
import { Time } from "./Time";
import { Evidence } from "./Evidence";
import { Prediction } from "./phases/Prediction";
import { CriteriaSummary, CriterionStatus } from "./review/CriterionStatus";

const WINDOWS = ["", "1d", "7d", "14d", "28d"];

/** The series over a window ending at the next whole minute (a stable query key). */
function useWindowSeries(window: string) {
  return useSeriesQuery(useRange({ range: window, from: null, to: null }, 60_000), 0);
}

function Scorecard({ p, current }: { p: PhaseResult; current: boolean }) {
  const series = useWindowSeries(p.window || PHASE_WINDOWS[p.phase]!);
  const points: SeriesPoint[] = series.data?.points ?? [];
  return (
    <section
      className={`scorecard ${current ? "current" : ""}`}
      aria-labelledby={`phase-${p.phase}`}
      data-testid={`phase-${p.phase}`}
    >
      <header className="panel-head">
        <h2 id={`phase-${p.phase}`}>
          {p.title} {current ? <span className="chip">current</span> : null}
        </h2>
        <ReadyBadge ready={p.ready} />
      </header>
      <CriteriaSummary criteria={p.criteria} />
      <CriteriaTable
        criteria={p.criteria}
        trend={(c) => {
          const trend = criterionTrend(c, points);
          return trend ? (
            <Sparkline data={trend.data} target={trend.target} label={`${c.title}: trend over ${p.window}`} />
          ) : (
            <span className="muted">—</span>
          );
        }}
        status={(c) => <CriterionStatus status={c.status} />}
        evidence={(c) => (
          <details>
            <summary>{c.evidence.summary}</summary>
            {c.evidence.minimum ? <p className="muted">Needs {c.evidence.minimum}.</p> : null}
            <Evidence details={c.evidence.details} caption={`Evidence for ${c.title}`} />
          </details>
        )}
      />
      <Prediction p={p} />
      <PhaseTimeline p={p} />
      <p className="muted small">Window: {p.window}</p>
      <PhaseModeNote mode={p.mode} />
    </section>
  );
}

export function PhasesView() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const windowParam = params.get("window") || null;
  const meeting = params.get("meeting") === "1";
  const q = usePhasesQuery(windowParam, meeting ? 0 : DEFAULT_REFRESH_MS);
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(window.location.search);
    if (v) next.set(k, v);
    else next.delete(k);
    const s = next.toString();
    window.history.replaceState(null, "", `${pathname}${s ? `?${s}` : ""}`);
  };
  const [form, setForm] = useState({ phase: "1", note: "", started_at: "" });
  const [formError, setFormError] = useState<string | null>(null);
  const reviews = useReviewsQuery();
  const session = useSessionQuery().data;
  const editor = session?.person?.editor === true;
  const startMutation = useStartReviewMutation();
  const setPhaseMutation = useSetPhaseMutation();
  const startReview = async () => {
    setFormError(null);
    try {
      const review = await startMutation.mutateAsync({
        phase: d?.current_phase ?? 0,
        window: windowParam,
      });
      router.push(`/reviews/${review.id}`);
    } catch (err) {
      setFormError((err as Error).message);
    }
  };
  const d = q.data;
  const ordered = d
    ? [...d.phases].sort((a, b) =>
        a.phase === d.current_phase ? -1 : b.phase === d.current_phase ? 1 : a.phase - b.phase,
      )
    : [];
  return (
    <div className={`page ${meeting ? "meeting" : ""}`}>
      <div className="page-head">
        <h1>Phase readiness {d ? <span className="muted">· current phase {d.current_phase}</span> : null}</h1>
        <div className="toolbar">
          <label>
            Window{" "}
            <select
              aria-label="Evaluation window"
              value={windowParam ?? ""}
              onChange={(e) => set("window", e.target.value || null)}
            >
              {WINDOWS.map((w) => (
                <option key={w} value={w}>
                  {w || "each phase's own length"}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            aria-pressed={meeting}
            className={meeting ? "active" : ""}
            onClick={() => set("meeting", meeting ? null : "1")}
          >
            Meeting mode
          </button>
        </div>
      </div>
      <ModeRollbacks modes={d?.modes} />
      {q.isPending ? (
        <p className="muted" role="status">
          Evaluating…
        </p>
      ) : q.error ? (
        <p className="error" role="alert">
          Could not evaluate: {(q.error as Error).message}
        </p>
      ) : null}
      {meeting && d ? (
        <p className="muted">
          Frozen for the meeting at <Time at={d.evaluated_at} /> (no auto-refresh).
        </p>
      ) : null}
      <div className="toolbar">
        {editor ? (
          <button type="button" onClick={() => void startReview()} disabled={!d}>
            Start a review of Phase {d?.current_phase ?? 0}
          </button>
        ) : (
          <p className="muted" data-testid="sign-in-needed">
            {session?.person
              ? `${session.person.name} may read; starting reviews and setting the phase is for editors.`
              : "Sign in to start a review or record the phase."}
          </p>
        )}
        {formError ? (
          <span className="error" role="alert">
            {formError}
          </span>
        ) : null}
      </div>
      {ordered.map((p) => (
        <Scorecard key={p.phase} p={p} current={p.phase === d?.current_phase} />
      ))}
      {reviews.data?.reviews.length ? (
        <Panel title="Reviews" loading={false} error={null} empty={false} emptyText="">
          <ul>
            {reviews.data.reviews.map((r) => (
              <li key={r.id}>
                <Link href={`/reviews/${r.id}`}>
                  Phase {r.phase} review {r.id}
                </Link>{" "}
                — <Time at={r.created_at} /> by {r.created_by}: {r.decision ?? "undecided"}
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}
      {!meeting ? (
        <Panel title="Set the current phase" loading={false} error={null} empty={false} emptyText="">
          <form
            className="set-phase"
            onSubmit={async (e) => {
              e.preventDefault();
              setFormError(null);
              const body = {
                phase: Number(form.phase),
                note: form.note,
                ...(form.started_at ? { started_at: new Date(form.started_at).toISOString() } : {}),
              };
              await setPhaseMutation.mutateAsync(body).catch((err: Error) => setFormError(err.message));
            }}
          >
            <label>
              Phase{" "}
              <select
                aria-label="Phase"
                value={form.phase}
                onChange={(e) => setForm({ ...form, phase: e.target.value })}
              >
                {[0, 1, 2, 3, 4].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Started at{" "}
              <input
                type="datetime-local"
                aria-label="Phase started at"
                value={form.started_at}
                onChange={(e) => setForm({ ...form, started_at: e.target.value })}
              />
            </label>
            <label>
              Note{" "}
              <input
                aria-label="Note"
                value={form.note}
                onChange={(e) => setForm({ ...form, note: e.target.value })}
              />
            </label>
            <button type="submit" disabled={!editor}>
              {editor ? `Record as ${session?.person?.name}` : "Sign in as an editor to record"}
            </button>
            {formError ? (
              <span className="error" role="alert">
                {formError}
              </span>
            ) : null}
          </form>
          {d?.history.length ? (
            <table className="episodes">
              <thead>
                <tr>
                  <th scope="col">phase</th>
                  <th scope="col">started</th>
                  <th scope="col">set by</th>
                  <th scope="col">set at</th>
                  <th scope="col">note</th>
                </tr>
              </thead>
              <tbody>
                {d.history.map((h, i) => (
                  <tr key={i}>
                    <td>{h.phase}</td>
                    <td>
                      <Time at={h.started_at} />
                    </td>
                    <td>{h.set_by}</td>
                    <td>
                      <Time at={h.set_at} />
                    </td>
                    <td>{h.note}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">
              No phase recorded yet: the configured phase (L9_CURRENT_PHASE) or 0 applies.
            </p>
          )}
        </Panel>
      ) : null}
    </div>
  );
}
