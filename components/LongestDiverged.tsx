"use client";
// "Where": the longest-diverged projects near the top of the overview, above the fold.
import Link from "next/link";
import { useMemo } from "react";
import type { ApiState } from "@/lib/contracts/state";
import { lastedText } from "@/lib/core/staleness";
import { useMounted } from "@/lib/hooks/useMounted";
import { matrixColumns, matrixRows } from "@/lib/ui/matrix";
import { columnNames } from "@/lib/ui/matrix-columns";
import { longestDiverged } from "@/lib/ui/longest";

export function LongestDiverged({ state, now }: { state: ApiState | undefined; now: Date }) {
  const mounted = useMounted();
  const list = useMemo(() => (state ? longestDiverged(matrixRows(state)) : null), [state]);
  const names = useMemo(() => (state ? columnNames(state, matrixColumns(state)) : null), [state]);
  if (!state || !list || list.total === 0 || !state.docker.reachable) return null;
  return (
    <section className="longest" aria-labelledby="longest-title" data-testid="longest-diverged">
      <h2 id="longest-title">
        Longest diverged{" "}
        <span className="muted">
          ({list.top.length} of {list.total})
        </span>
      </h2>
      <ol>
        {list.top.map((d) => (
          <li key={d.key}>
            <Link
              href={`/projects/${encodeURIComponent(d.project)}${d.host ? `?host=${encodeURIComponent(d.host)}` : ""}`}
              prefetch={false}
            >
              {d.host ? `${d.host}/` : ""}
              {d.project}
            </Link>{" "}
            <span className="longest-for">for {mounted ? lastedText(d.since, now.getTime()) : "…"}</span>
            {d.places.length ? (
              <span className="muted"> · {d.places.map((p) => names?.get(p)?.label ?? p).join(", ")}</span>
            ) : (
              <span className="muted"> · Docker</span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
