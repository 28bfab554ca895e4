"use client";
// CONTRACT 7e: the orchestrator's own test containers are never hidden, only kept out of every
// rate; a project with both kinds is named, since its real container may be mistaken for a test.
import type { ApiState } from "@/lib/contracts/state";
import { testContainersNote } from "@/lib/ui/matrix";

export function TestContainersNote({ state }: { state: ApiState | undefined }) {
  const note = state ? testContainersNote(state) : null;
  if (!note) return null;
  return (
    <p
      className={`banner ${note.mixed.length ? "banner-warn" : "banner-muted"}`}
      data-testid="test-containers"
    >
      {note.text}
    </p>
  );
}
