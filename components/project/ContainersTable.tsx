"use client";
// The project's containers seen in the range, from first sight to removal.
import type { ApiContainerHistory } from "@/lib/contracts/state";
import { Time } from "../Time";

export function ContainersTable({ containers }: { containers: ApiContainerHistory[] | undefined }) {
  return (
    <table className="episodes">
      <thead>
        <tr>
          <th scope="col">container</th>
          <th scope="col">first seen</th>
          <th scope="col">stopped</th>
          <th scope="col">removed</th>
          <th scope="col">state</th>
          <th scope="col">port</th>
          <th scope="col">labels at first sight</th>
        </tr>
      </thead>
      <tbody>
        {containers?.map((c) => (
          <tr key={c.id}>
            <td className="mono">{c.id.slice(0, 12)}</td>
            <td>
              <Time at={c.first_seen_at} />
            </td>
            <td>{c.stopped_at ? <Time at={c.stopped_at} /> : "—"}</td>
            <td>{c.removed_at ? <Time at={c.removed_at} /> : "—"}</td>
            <td>{c.state}</td>
            <td>{c.port ?? "—"}</td>
            <td>{c.label_issues.length ? c.label_issues.join(", ") : "valid"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
