// GET /api/v1/phases response (CONTRACT.md section 3, plus history and the rollback signal).
import type { PhaseResult } from "../core/phases";

export type PhaseChangeRow = { phase: number; started_at: string; set_by: string; set_at: string; note: string };

export type PhasesReport = {
  current_phase: number;
  evaluated_at: string;
  window: string | null;
  phase_starts: (string | null)[];
  rollback: { phase: number; failing: string[] } | null;
  phases: PhaseResult[];
  history: PhaseChangeRow[];
};
