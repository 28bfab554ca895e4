import { describe, expect, test } from "vitest";
import { eventAction, isContainerChange, timedEvent } from "./events";

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

describe("timed events (issue 25: in flight)", () => {
  const line = (o: object) => JSON.stringify(o);
  test.each([
    [
      "timeNano and the project label",
      line({
        Type: "container",
        Action: "stop",
        Actor: { ID: "abc", Attributes: { "com.l9.project": "alpha" } },
        time: 1700000000,
        timeNano: 1700000000123456789,
      }),
      { containerId: "abc", project: "alpha", action: "stop", atMs: 1700000000123.4568 },
    ],
    [
      "time in seconds, the old id field, no label",
      line({ status: "destroy", id: "def", time: 1700000001 }),
      { containerId: "def", project: null, action: "destroy", atMs: 1700000001000 },
    ],
    ["kill is not timed (die follows)", line({ Action: "kill", id: "a", time: 1 }), null],
    ["no time", line({ Action: "start", id: "a" }), null],
    ["no id", line({ Action: "start", time: 5 }), null],
    ["not an object", "42", null],
    ["not json", "{", null],
  ])("%s", (_name, text, expected) => {
    const e = timedEvent(text);
    if (expected === null) expect(e).toBeNull();
    else expect(e).toMatchObject({ ...expected, atMs: expect.closeTo(expected.atMs, 0) });
  });
});
