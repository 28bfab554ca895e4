import { describe, expect, test } from "vitest";
import { eventAction, isContainerChange } from "./events";

describe("Docker event lines", () => {
  test.each([
    ['{"Type":"container","Action":"die","Actor":{}}', "die", true],
    ['{"status":"start","id":"abc"}', "start", true],
    ['{"Action":"exec_start: sh -c ls"}', "exec_start", false],
    ['{"Action":"health_status: healthy"}', "health_status", false],
    ['{"Action":"destroy"}', "destroy", true],
    ['{"Action":42}', "", false],
    ['{"Action":"sta', null, false],
    ["not json", null, false],
  ])("%s -> %s", (line, action, change) => {
    expect(eventAction(line)).toBe(action);
    expect(isContainerChange(eventAction(line))).toBe(change);
  });
});
