"use client";
// Issue 25: which code a process runs (its mode and version), wherever a process is listed.
import type { ApiSource } from "@/lib/contracts/state";
import { modeText } from "@/lib/ui/modes";

export function ModeBadge({ src }: { src: Pick<ApiSource, "mode" | "code_version"> }) {
  const text = modeText(src);
  if (!text) return null;
  return (
    <span className="badge mode-badge" data-testid="mode-badge" title="the process's mode and code version">
      {text}
    </span>
  );
}
