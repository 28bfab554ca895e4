"use client";
// The rollback signal on every page (the layout), in people's words: a criterion "regressed"
// only when it was met at the advance; its human name, the id in a tooltip.
import Link from "next/link";
import { usePhasesQuery } from "@/lib/hooks/usePhasesQuery";
import { DEFAULT_REFRESH_MS } from "@/lib/query";
import { rollbackWords } from "@/lib/core/rollback";

export function RollbackBanner() {
  const s = usePhasesQuery(null, DEFAULT_REFRESH_MS).data?.rollback;
  if (!s) return null;
  return (
    <div className="banner banner-bad" role="alert" data-testid="rollback">
      <strong>Rollback signal:</strong> since the advance to Phase {s.phase}, Phase {s.phase - 1}&apos;s
      criteria are not met:{" "}
      {s.criteria.map((c, i) => (
        <span key={c.id} data-testid="rollback-criterion" data-at-advance={c.at_advance ?? "unknown"}>
          {i > 0 ? "; " : ""}
          <span title={c.id}>{c.title}</span> ({rollbackWords(c)})
        </span>
      ))}
      . <Link href="/phases">See the phases</Link> and the ADR&apos;s rollback plan.
    </div>
  );
}
