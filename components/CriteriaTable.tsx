"use client";
// One criteria table for the phases page and a review: a row per criterion (target, actual,
// status, evidence), with the columns a page adds (a trend) and how it shows a cell.
import type { ReactNode } from "react";
import type { Criterion } from "@/lib/core/phase-types";
import { formatActual } from "@/lib/core/format";
import { Certainty } from "./review/Certainty";

export function CriteriaTable({
  criteria,
  trend,
  actual = (c) => formatActual(c),
  status,
  evidence,
}: {
  criteria: Criterion[];
  /** a trend column, when the page draws one */
  trend?: (c: Criterion) => ReactNode;
  actual?: (c: Criterion) => ReactNode;
  status: (c: Criterion) => ReactNode;
  evidence: (c: Criterion) => ReactNode;
}) {
  return (
    <table className="criteria">
      <thead>
        <tr>
          <th scope="col">criterion</th>
          <th scope="col">target</th>
          <th scope="col">actual</th>
          {trend ? <th scope="col">trend</th> : null}
          <th scope="col">status</th>
          <th scope="col">evidence</th>
        </tr>
      </thead>
      <tbody>
        {criteria.map((c) => (
          <tr key={c.id} data-criterion={c.id} data-status={c.status}>
            <th scope="row">{c.title}</th>
            <td>{c.target}</td>
            <td className="mono">{actual(c)}</td>
            {trend ? <td>{trend(c)}</td> : null}
            <td>
              {status(c)}
              <Certainty c={c} />
            </td>
            <td>{evidence(c)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A phase's verdict beside its title, on the phases page and in a review. */
export function ReadyBadge({ ready }: { ready: boolean }) {
  return (
    <span className={`badge ${ready ? "h-consistent" : "h-diverged"}`}>{ready ? "ready" : "not ready"}</span>
  );
}
