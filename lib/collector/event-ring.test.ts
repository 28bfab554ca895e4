import { describe, expect, test } from "vitest";
import { EventRing } from "./event-ring";
import type { DockerEvent } from "../docker/events";

const e = (project: string | null, atMs: number, action: DockerEvent["action"] = "stop"): DockerEvent => ({
  containerId: "c",
  project,
  action,
  atMs,
});

describe("the collector's event ring (issue 25)", () => {
  test("while the stream is down the view is undefined: nothing is in flight", () => {
    const r = new EventRing();
    r.push(e("alpha", 10));
    expect(r.view(20)).toBeUndefined();
    r.streaming = true;
    expect(r.view(20)?.get("alpha")).toEqual([{ action: "stop", atMs: 10 }]);
  });

  test("the same map while nothing changed; a new one (and a new array for that project only) after an event", () => {
    const r = new EventRing();
    r.streaming = true;
    r.push(e("alpha", 10));
    r.push(e("beta", 11));
    const v1 = r.view(20)!;
    expect(r.view(21)).toBe(v1);
    r.push(e("alpha", 12, "destroy"));
    const v2 = r.view(22)!;
    expect(v2).not.toBe(v1);
    expect(v2.get("beta")).toBe(v1.get("beta"));
    expect(v2.get("alpha")).toEqual([
      { action: "stop", atMs: 10 },
      { action: "destroy", atMs: 12 },
    ]);
  });

  test("bounded by age and by count; events without a project are not kept", () => {
    const r = new EventRing(3, 100);
    r.streaming = true;
    r.push(e(null, 1));
    expect(r.size).toBe(0);
    for (let i = 0; i < 5; i++) r.push(e("alpha", 10 + i));
    expect(r.size).toBe(3);
    expect(
      r
        .view(20)!
        .get("alpha")!
        .map((x) => x.atMs),
    ).toEqual([12, 13, 14]);
    // 100 ms later than 13: 12 and 13 are older than the bound
    expect(
      r
        .view(113.5)!
        .get("alpha")!
        .map((x) => x.atMs),
    ).toEqual([14]);
    expect(r.view(1000)!.has("alpha")).toBe(false);
    expect(r.size).toBe(0);
  });
});
