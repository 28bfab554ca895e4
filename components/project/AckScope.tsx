"use client";
// The acknowledgement form's scope: this project, or every project matching a pattern
// (a glob: * any run of characters, ? one), with what it would mute shown before saving.
import { useId } from "react";
import { useStateQuery } from "@/lib/hooks/queries";
import { ackPreview, previewText } from "@/lib/ui/ack-preview";
import { kindLabel } from "@/lib/ui/kinds";
import type { FindingKind } from "@/lib/core/types";

export function AckScope({
  project,
  source,
  kind,
  pattern,
  setPattern,
}: {
  project: string;
  source: string | null;
  kind: FindingKind;
  /** null: only this project */
  pattern: string | null;
  setPattern: (p: string | null) => void;
}) {
  const id = useId();
  // The latest state (already in the cache on most pages), not refreshed on its own here.
  const state = useStateQuery(0).data;
  const preview = state && pattern !== null ? ackPreview(state, { project: pattern, source, kind }) : null;
  return (
    <fieldset className="ack-scope">
      <legend>
        Scope: {kindLabel(kind)}
        {source ? ` from ${source}` : ""}
      </legend>
      <label>
        <input
          type="radio"
          name={`${id}-scope`}
          checked={pattern === null}
          onChange={() => setPattern(null)}
        />{" "}
        only {project}
      </label>{" "}
      <label>
        <input
          type="radio"
          name={`${id}-scope`}
          checked={pattern !== null}
          onChange={() => setPattern("*")}
        />{" "}
        every project matching
      </label>{" "}
      {pattern !== null ? (
        <>
          <input
            aria-label="Project pattern"
            aria-describedby={`${id}-preview`}
            className="mono"
            required
            value={pattern}
            onChange={(e) => setPattern(e.target.value)}
          />
          <p id={`${id}-preview`} className="muted" aria-live="polite" data-testid="ack-preview">
            {preview ? previewText(preview) : "Reading the current state…"}
            <br />* any run of characters, ? one character; the pattern also mutes projects that match it
            later.
          </p>
        </>
      ) : null}
    </fieldset>
  );
}
