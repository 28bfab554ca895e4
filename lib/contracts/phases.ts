// GET /api/v1/phases response (CONTRACT.md section 3, plus history and the rollback signal).
import { z } from "zod";
import type { PhaseResult } from "../core/phases";
import type { LiveMode } from "../core/modes";
import type { RollbackSignal } from "../core/rollback";
import { isoDateTime } from "./ingest";

export type PhaseChangeRow = {
  phase: number;
  started_at: string;
  set_by: string;
  set_at: string;
  note: string;
};

export type PhasesReport = {
  current_phase: number;
  evaluated_at: string;
  window: string | null;
  phase_starts: (string | null)[];
  rollback: RollbackSignal | null;
  /** issue 25: live processes' modes, a review's warnings (mixed, behind the phase), mode rollbacks */
  modes?: {
    live: LiveMode[];
    warnings: string[];
    rollbacks: { at: string; instance_id: string; host?: string; from: string | null; to: string | null }[];
  };
  phases: PhaseResult[];
  history: PhaseChangeRow[];
};

/** POST /api/v1/phases/current */
export const setPhaseSchema = z.object({
  phase: z.number().int().min(0).max(4),
  started_at: isoDateTime.optional(),
  // Who sets it is the signed-in person (CONTRACT 6g), never a field anyone may type.
  set_by: z.never({ error: "who sets the phase is the signed-in person; drop set_by" }).optional(),
  note: z.string().max(5000).default(""),
});

export type SetPhaseBody = z.input<typeof setPhaseSchema>;
