"use client";
// Issue 24, 3: what a later phase's criteria would read had its code been running, replayed
// from stored history and shown beside the measured criteria (phases page, reviews).
import type { PhaseResult } from "@/lib/core/phase-types";
import { CriteriaTable } from "../CriteriaTable";
import { Evidence } from "../Evidence";
import { Time } from "../Time";
import styles from "./Prediction.module.css";

const badge = (s: string) => (s === "met" ? "h-consistent" : s === "not_met" ? "h-diverged" : "h-unknown");

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

export function Prediction({ p }: { p: PhaseResult }) {
  const x = p.prediction;
  if (!x) return null;
  const fallbacks = x.fallback_projects ?? [];
  return (
    <section
      className={styles.prediction}
      data-testid={`prediction-${p.phase}`}
      aria-label={`Phase ${p.phase} predicted`}
    >
      <p className={styles.label}>
        What Phase {p.phase} would do:{" "}
        <span data-testid="predicted-from">predicted from {x.from_polls} polls, not measured</span>
        {x.from_reads ? <span className="muted"> (and {x.from_reads} read events)</span> : null}
      </p>
      <CriteriaTable
        criteria={x.criteria}
        status={(c) => (
          <span className={`badge ${badge(c.status)}`}>predicted {c.status.replace("_", " ")}</span>
        )}
        evidence={(c) => (
          <details>
            <summary>{c.evidence.summary}</summary>
            {c.evidence.minimum ? <p className="muted">Needs {c.evidence.minimum}.</p> : null}
            <Evidence details={c.evidence.details} caption={`Predicted evidence for ${c.title}`} />
          </details>
        )}
      />
      {fallbacks.length ? (
        <details data-testid="predicted-fallbacks">
          <summary>
            {plural(x.fallback_projects_total ?? fallbacks.length, "project")} would fall back to the dict
            {fallbacks.length >= 50 ? " (the 50 most affected listed, by project and reason)" : ""}
          </summary>
          <Evidence details={fallbacks} caption={`Projects Phase ${p.phase} would serve from the fallback`} />
        </details>
      ) : null}
      <p className="muted small">
        Replayed
        {x.replayed_at ? (
          <>
            {" "}
            at <Time at={x.replayed_at} date={false} /> (at most once a minute)
          </>
        ) : null}
        : {x.bound}.
      </p>
    </section>
  );
}
