// GET /api/v1/overview and GET /api/v1/series responses (ours, beyond the contract).
import type { SeriesPoint } from "../store/series";

export type WindowSummary = {
  window: string;
  from: string;
  to: string;
  polls: number;
  checks: number;
  diverged: number;
  divergence_rate: number | null;
  reads: number;
  fallback: number;
  fallback_rate: number | null;
  docker_ok_rate: number | null;
};

export type ApiOverview = { windows: WindowSummary[] };
export type ApiSeries = { from: string; to: string; bucket_ms: number; points: SeriesPoint[] };
export type { SeriesPoint };
