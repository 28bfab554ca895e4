"use client";
// One project's row of the health matrix: its name, health, how long, and one cell per place.
import Link from "next/link";
import { memo } from "react";
import { kindLabel, kindTitle } from "@/lib/ui/kinds";
import type { MatrixRow } from "@/lib/ui/matrix";

export const HEALTH_LABEL = {
  consistent: "consistent",
  warning: "warning",
  diverged: "diverged",
  unknown: "unknown",
} as const;

/** One project's row; memoised so a refresh re-renders only the rows whose data changed. */
export const Row = memo(function Row({
  r,
  index,
  sinceText,
  editor,
  measure,
  showHost,
  groupStart,
}: {
  r: MatrixRow;
  index: number;
  sinceText: string;
  editor: boolean;
  measure: ((el: Element | null) => void) | undefined;
  showHost: boolean;
  groupStart: boolean;
}) {
  const href = `/projects/${encodeURIComponent(r.project)}${r.host ? `?host=${encodeURIComponent(r.host)}` : ""}`;
  return (
    <tr
      ref={measure}
      data-index={index}
      aria-rowindex={index + 2}
      data-project={r.project}
      data-host={r.host ?? undefined}
      data-health={r.health}
      className={groupStart ? "host-first" : undefined}
    >
      <th scope="row">
        {/* Not prefetched: every visible row would fetch its project page, again on each scroll. */}
        <Link href={href} prefetch={false}>
          {r.project}
        </Link>
      </th>
      {showHost ? <td className="mono nowrap">{r.host}</td> : null}
      <td>
        <span className={`badge h-${r.health}`}>{HEALTH_LABEL[r.health]}</span>
        {r.inFlight ? <span className="muted nowrap"> · in flight</span> : null}
      </td>
      <td className="muted nowrap">{sinceText}</td>
      {r.cells.map((c) => (
        <td
          key={c.source}
          className={`cell s-${c.status}${c.acknowledged ? " s-acknowledged" : ""}`}
          data-source={c.source}
          title={
            (c.kinds.map(kindLabel).join(", ") || c.status) +
            (c.acknowledged ? " (acknowledged)" : "") +
            (c.inFlight ? " (in flight: Docker changed after this snapshot; not counted yet)" : "")
          }
          tabIndex={c.kinds.length ? 0 : undefined}
        >
          <span className="mono">{c.value}</span>
          {c.kinds.map((k) => (
            <span key={k} className="kind" title={`${k} · ${kindTitle(k)}`} data-kind={k}>
              {kindLabel(k)}
            </span>
          ))}
          {c.acknowledged ? <span className="muted"> acknowledged</span> : null}
          {c.inFlight ? (
            <span className="muted in-flight" data-testid="in-flight">
              {" "}
              in flight
            </span>
          ) : null}
          {c.kinds.length ? (
            <span className="sr-only">
              : {c.kinds.map((k) => kindTitle(k).slice(kindLabel(k).length + 2)).join(" ")}
            </span>
          ) : null}
          {c.status === "diverged" && !c.acknowledged && !c.inFlight && editor ? (
            <Link className="linkish ack-link" href={`${href}#findings`} prefetch={false}>
              acknowledge…
            </Link>
          ) : null}
        </td>
      ))}
    </tr>
  );
});
