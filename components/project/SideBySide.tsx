"use client";
// The project's fields in every place side by side, and its findings in the latest poll.
import type { ApiProject } from "@/lib/contracts/state";
import type { FieldRow } from "@/lib/ui/project";
import { KIND_HELP, kindLabel, kindTitle } from "@/lib/ui/kinds";
import { Time } from "../Time";
import { AcknowledgeButton } from "./AcknowledgeButton";

export function SideBySide({
  name,
  table,
  current,
  editor,
}: {
  name: string;
  table: { places: string[]; rows: FieldRow[] };
  current: ApiProject | null | undefined;
  editor: boolean;
}) {
  return (
    // A wide table scrolls in its box: a tab stop, so the keyboard can scroll it too.
    <div className="matrix-wrap" tabIndex={0} role="region" aria-label="Side by side, every place's values">
      <table className="sxs" data-testid="side-by-side">
        <thead>
          <tr>
            <th scope="col">field</th>
            {table.places.map((p) => (
              <th key={p} scope="col" className="mono">
                {p}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r) => (
            <tr key={r.field} className={r.differs ? "differs" : ""}>
              <th scope="row">
                {r.field}
                {r.differs ? <span className="sr-only"> (places differ)</span> : null}
              </th>
              {r.values.map((v) => (
                <td key={v.place} className={`mono${v.differs ? " cell-differs" : ""}`}>
                  {v.value}
                  {v.differs ? (
                    <span className="ne" aria-label="differs from Docker">
                      {" "}
                      ≠
                    </span>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {current?.findings.length ? (
        <ul className="findings" id="findings">
          {current.findings.map((f, i) => (
            <li key={i} className={f.informational || f.acknowledgement || f.in_flight ? "muted" : undefined}>
              <span className="kind" title={kindTitle(f.kind)}>
                {kindLabel(f.kind)}
              </span>{" "}
              {f.message}
              <span className="muted"> · next: {KIND_HELP[f.kind].next}</span>
              {f.informational ? " (informational until Phase 1: does not change health)" : null}
              {f.in_flight ? (
                <span data-testid="in-flight">
                  {" "}
                  — in flight: Docker changed after this source&apos;s snapshot; not counted until a newer
                  snapshot still shows it
                </span>
              ) : null}
              {f.acknowledgement ? (
                <span data-testid="acknowledged">
                  {" "}
                  — acknowledged by {f.acknowledgement.owner}: “{f.acknowledgement.reason}”, until{" "}
                  <Time at={f.acknowledgement.expires_at} />
                </span>
              ) : editor && !f.informational ? (
                <AcknowledgeButton project={name} finding={f} />
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No findings in the latest poll.</p>
      )}
    </div>
  );
}
