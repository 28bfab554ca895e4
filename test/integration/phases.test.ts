// The criteria engine over figures the collector really stored while simulator scenarios ran.
import { afterEach, describe, expect, inject, test } from "vitest";
import { setupScenario } from "../support/scenario";
import { setPhase } from "../../lib/store/phases";
import { evaluateAt } from "../../lib/services/evaluate";
import type { SimFleet } from "../../lib/sim/fleet";
import type { Harness } from "../support/harness";

let cleanup: { fleet: SimFleet; h: Harness } | null = null;
afterEach(async () => {
  await cleanup?.fleet.cleanup();
  await cleanup?.h.close();
  cleanup = null;
});

async function pollTimes(h: Harness, n: number) {
  for (let i = 0; i < n; i++) await h.collector.pollOnce();
}

describe("phase verdicts from simulated fleets", () => {
  test("phase0-baseline meets Phase 0 with its rate under 5%", async () => {
    const r = await setupScenario(inject("dockerSocket"), "phase0-baseline", {
      L9_POLL_INTERVAL_MS: "60000",
    });
    cleanup = r;
    await pollTimes(r.h, 6);
    const report = await evaluateAt(r.h.db, r.h.cfg, "5m", new Date(), 0);
    const p0 = report.phases[0]!;
    const rate = p0.criteria.find((c) => c.id === "divergence_rate")!;
    expect(rate.status).toBe("met");
    expect(Number(rate.actual)).toBeGreaterThan(0);
    expect(Number(rate.actual)).toBeLessThan(0.05);
    expect(p0.criteria.map((c) => [c.id, c.status])).toEqual([
      ["divergence_rate", "met"],
      ["no_docker_writes", "met"],
      ["collecting", "met"],
    ]);
    expect(p0.ready).toBe(true);
    // Phase 3 wants zero divergence: the same figures fail it.
    expect(report.phases[3]!.criteria.find((c) => c.id === "zero_divergence")!.status).toBe("not_met");
  });

  test("port-reuse fails Phase 3's port-conflict criterion", async () => {
    const r = await setupScenario(inject("dockerSocket"), "port-reuse");
    cleanup = r;
    await pollTimes(r.h, 20);
    const report = await evaluateAt(r.h.db, r.h.cfg, "10m", new Date(), 0);
    const c = report.phases[3]!.criteria.find((x) => x.id === "no_port_conflicts")!;
    expect(c.status).toBe("not_met");
    expect(Number(c.actual)).toBeGreaterThanOrEqual(20);
  });

  test("crash-and-recover lists its restarts as evidence", async () => {
    const r = await setupScenario(inject("dockerSocket"), "crash-and-recover", {
      L9_INSTANCE_STALE_MS: "1000",
    });
    cleanup = r;
    const reborn = r.fleet.instances[0]!.instanceId;
    await r.h.collector.pollOnce();
    await new Promise((res) => setTimeout(res, 1300));
    for (let n = 0; n < r.scenario.projects; n++) await r.scenario.tick(r.fleet, () => 0.5, n);
    await r.h.collector.pollOnce();
    const report = await evaluateAt(r.h.db, r.h.cfg, "10m", new Date(), 0);
    const c = report.phases[3]!.criteria.find((x) => x.id === "crash_recovery")!;
    expect(c.status).toBe("met");
    expect(c.evidence.details).toEqual([
      expect.objectContaining({ instance: reborn, reason: "replaced_stale" }),
    ]);
  });

  test("the current phase is set with who and when, kept as history; a regression after an advance raises the rollback signal", async () => {
    const r = await setupScenario(inject("dockerSocket"), "port-reuse");
    cleanup = r;
    await pollTimes(r.h, 20);
    expect((await evaluateAt(r.h.db, r.h.cfg, "10m", new Date(), 0)).current_phase).toBe(0);
    await setPhase(
      r.h.db,
      { phase: 1, startedAt: new Date(), setBy: "ana", note: "after review" },
      new Date(),
    );
    const report = await evaluateAt(r.h.db, r.h.cfg, "10m", new Date(), 0);
    expect(report.current_phase).toBe(1);
    expect(report.history[0]).toMatchObject({ phase: 1, set_by: "ana", note: "after review" });
    expect(report.rollback).toEqual({ phase: 1, failing: expect.arrayContaining(["divergence_rate"]) });
  });
});
