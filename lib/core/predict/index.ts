// What each phase after the current one would read had its code been running (issue 24, 3).
import type { HostHistory, Prediction } from "./types";
import { phase2Prediction } from "./phase2";
import { phase3Prediction } from "./phase3";

export type { HostHistory, Prediction, PredictedCriterion, FallbackReason, HistContainer } from "./types";

const PREDICTORS: Partial<Record<number, (h: readonly HostHistory[], bound: string) => Prediction>> = {
  2: phase2Prediction,
  3: phase3Prediction,
};

/** Predictions for the phases after `current` that have a predictor (2 and 3). */
export function predictPhases(
  current: number,
  hosts: readonly HostHistory[],
  bound: string,
): Map<number, Prediction> {
  const out = new Map<number, Prediction>();
  for (const [n, f] of Object.entries(PREDICTORS))
    if (Number(n) > current && f) out.set(Number(n), f(hosts, bound));
  return out;
}
