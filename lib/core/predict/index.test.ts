import { expect, test } from "vitest";
import { predictPhases } from "./index";
import { container, history } from "./fixtures";

test.each([
  [0, [2, 3]],
  [1, [2, 3]],
  [2, [3]],
  [3, []],
  [4, []],
])("current phase %i: predictions for the later phases with a predictor %j", (current, want) => {
  expect([...predictPhases(current, [history(1, ["a"], [container("a1", "a")])], "all").keys()]).toEqual(
    want,
  );
});
