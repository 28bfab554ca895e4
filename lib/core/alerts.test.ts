import { describe, expect, test } from "vitest";
import {
  advanceAlerts,
  conditionsOf,
  describe as describeAlert,
  type AlertEpisode,
  type Condition,
} from "./alerts";

const t = (s: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, s));
const input = (health: string, over: Partial<Parameters<typeof conditionsOf>[0]> = {}) => ({
  docker: { reachable: true, endpoint: "unix:///d.sock", error: null },
  projects: [{ project: "alpha", health, kinds: health === "diverged" ? ["port_mismatch"] : [] }],
  sources: [],
  gate: null,
  phases: null,
  ...over,
});

describe("conditions", () => {
  test.each([
    ["a diverged project", input("diverged"), ["project_diverged:alpha"]],
    ["a consistent project", input("consistent"), []],
    [
      "Docker unreachable",
      input("unknown", { docker: { reachable: false, endpoint: "x", error: "refused" } }),
      ["docker_unreachable"],
    ],
    [
      "divergence over the gate",
      input("consistent", { gate: { phase: 0, window: "7d", rate: 0.061, checks: 500 } }),
      ["divergence_over_gate"],
    ],
    [
      "divergence under the gate",
      input("consistent", { gate: { phase: 0, window: "7d", rate: 0.049, checks: 500 } }),
      [],
    ],
    [
      "a stale instance",
      input("consistent", {
        sources: [{ id: "active_indexers:m1", kind: "active_indexers", status: "stale" }],
      }),
      ["instance_stale:active_indexers:m1"],
    ],
    [
      "an ended instance",
      input("consistent", {
        sources: [{ id: "active_indexers:m1", kind: "active_indexers", status: "ended" }],
      }),
      [],
    ],
    [
      "the rollback signal",
      input("consistent", {
        phases: { current: 2, ready: [true, false, false, false, false], rollback: ["fallback_rate"] },
      }),
      ["rollback_signal"],
    ],
    [
      "the next phase ready",
      input("consistent", {
        phases: { current: 0, ready: [true, true, false, false, false], rollback: null },
      }),
      ["phase_ready:1"],
    ],
  ] as const)("%s", (_name, inp, keys) => {
    expect(conditionsOf(inp).map((c) => c.key)).toEqual(keys);
  });

  test("the message names the effect on the phase gate", () => {
    const c = conditionsOf(
      input("diverged", { gate: { phase: 0, window: "24h", rate: 0.061, checks: 900 } }),
    );
    expect(c[0]?.gate).toBe("Phase 0 divergence over 24h is now 6.1%, gate < 5%");
  });
});

describe("alert episodes", () => {
  const cond = conditionsOf(input("diverged"))[0] as Condition;
  const after = () => 60_000;
  test("pending until the duration, one message per episode, one on recovery", () => {
    let eps = new Map<string, AlertEpisode>();
    const step = (s: number, conds: Condition[]) => {
      const r = advanceAlerts(eps, conds, t(s), after);
      eps = r.episodes;
      return r.notifications.map((n) => n.event);
    };
    expect(step(0, [cond])).toEqual([]);
    expect(step(59, [cond])).toEqual([]);
    expect(step(60, [cond])).toEqual(["firing"]);
    expect(step(120, [cond])).toEqual([]);
    expect(step(121, [])).toEqual(["resolved"]);
    expect(step(122, [])).toEqual([]);
  });

  test("a condition that clears before its duration sends nothing", () => {
    const r1 = advanceAlerts(new Map(), [cond], t(0), after);
    const r2 = advanceAlerts(r1.episodes, [], t(30), after);
    expect([...r1.notifications, ...r2.notifications]).toEqual([]);
  });

  test("the text says what changed, since when, and links to the page", () => {
    const n = {
      event: "firing" as const,
      condition: cond,
      since: t(0).toISOString(),
      at: t(60).toISOString(),
    };
    const d = describeAlert(n, "http://127.0.0.1:3000");
    expect(d.url).toBe("http://127.0.0.1:3000/projects/alpha");
    expect(d.text).toContain("[WARNING] Project alpha is diverged (port_mismatch)");
    expect(d.text).toContain(`Since ${t(0).toISOString()}`);
  });
});
