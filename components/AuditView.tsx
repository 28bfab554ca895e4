"use client";
// The audit log: every write by a person, newest first, filtered by who and what (in the URL).
import { usePathname, useSearchParams } from "next/navigation";
import { useAuditQuery } from "@/lib/hooks/queries";
import { Panel } from "./Panel";

export function AuditView() {
  const params = useSearchParams();
  const pathname = usePathname();
  const filters = { actor: params.get("actor") ?? "", action: params.get("action") ?? "" };
  const q = useAuditQuery(filters);
  const set = (k: "actor" | "action", v: string) => {
    const next = new URLSearchParams(params.toString());
    if (v) next.set(k, v);
    else next.delete(k);
    const s = next.toString();
    window.history.replaceState(null, "", `${pathname}${s ? `?${s}` : ""}`);
  };
  const d = q.data;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Audit log</h1>
        <div className="toolbar">
          <label>
            Who{" "}
            <select
              aria-label="Filter by person"
              value={filters.actor}
              onChange={(e) => set("actor", e.target.value)}
            >
              <option value="">everyone</option>
              {d?.actors.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label>
            What{" "}
            <select
              aria-label="Filter by action"
              value={filters.action}
              onChange={(e) => set("action", e.target.value)}
            >
              <option value="">every action</option>
              {d?.actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <Panel
        title="Writes by people"
        loading={q.isPending}
        error={q.error}
        empty={!!d && d.entries.length === 0}
        emptyText="Nobody has written anything yet (or nothing matches these filters)."
      >
        <table className="episodes" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">when (UTC)</th>
              <th scope="col">who</th>
              <th scope="col">what</th>
              <th scope="col">on</th>
              <th scope="col">values</th>
              <th scope="col">from</th>
            </tr>
          </thead>
          <tbody>
            {d?.entries.map((e) => (
              <tr key={e.id}>
                <td className="mono">{e.at.replace("T", " ").replace(/\.\d+Z$/, "Z")}</td>
                <td>
                  {e.actor} <span className="muted">({e.via})</span>
                </td>
                <td>{e.action}</td>
                <td className="mono">{e.target}</td>
                <td className="mono">{JSON.stringify(e.detail)}</td>
                <td className="mono" title={e.user_agent}>
                  {e.from}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}
