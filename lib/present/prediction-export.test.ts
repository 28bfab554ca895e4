import { expect, test } from "vitest";
import { predictionMarkdown } from "./prediction-export";
import { phase2Prediction } from "../core/predict/phase2";
import { container, history } from "../core/predict/fixtures";
import type { PhaseResult } from "../core/phases";

const phase = (prediction?: PhaseResult["prediction"]): PhaseResult => ({
  phase: 2,
  title: "Phase 2",
  window: "14d",
  ready: false,
  criteria: [],
  ...(prediction ? { prediction } : {}),
});

test.each([
  ["no prediction: nothing", undefined, []],
  [
    "a prediction: its heading, rows and the projects that would fall back",
    phase2Prediction([history(60, ["a", "b|x"], [container("a1", "a")])], "all"),
    [
      "### What Phase 2 would do: predicted from 60 polls, not measured",
      "| Fallback to the dict is rare | < 5% of reads | 50.00% | predicted not met |",
      "Would fall back (1 of the projects): b\\|x (no container)",
    ],
  ],
])("%s", (_, prediction, lines) => {
  const out = predictionMarkdown(phase(prediction)).join("\n");
  for (const l of lines) expect(out).toContain(l);
  if (!prediction) expect(out).toBe("");
});
