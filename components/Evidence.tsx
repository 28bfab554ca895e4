"use client";
import { useId } from "react";
import { evidenceTable } from "@/lib/core/format";
import { evidenceHeading, isInstantField } from "@/lib/ui/evidence";
import { Time } from "./Time";

/** A criterion's evidence details as a table, the raw JSON behind a toggle. */
export function Evidence({ details, caption }: { details: unknown; caption: string }) {
  const id = useId();
  const t = evidenceTable(details);
  if (details === undefined || details === null) return null;
  return (
    <div className="evidence">
      {t ? (
        <div className="table-wrap">
          <table className="evidence-table" aria-describedby={id}>
            <caption id={id} className="sr-only">
              {caption}
            </caption>
            <thead>
              <tr>
                {t.columns.map((c) => (
                  <th key={c} scope="col">
                    {evidenceHeading(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {t.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((v, j) => {
                    // A record's rows name the field in their first cell, a list's in its column.
                    const key =
                      t.columns[0] === "field" ? (j === 0 ? "" : (r[0] ?? "")) : (t.columns[j] ?? "");
                    return (
                      <td key={j} className={j === 0 ? "mono" : undefined}>
                        {t.columns[0] === "field" && j === 0 ? (
                          evidenceHeading(v)
                        ) : isInstantField(key, v) ? (
                          <Time at={v} />
                        ) : (
                          v
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <details className="raw-toggle">
        <summary>Raw JSON</summary>
        <pre className="raw">{JSON.stringify(details, null, 2)}</pre>
      </details>
    </div>
  );
}
