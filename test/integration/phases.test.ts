// The criteria engine over figures the collector really stored while simulator scenarios ran.
import { afterEach, describe, expect, inject, test } from "vitest";
import { setupScenario } from "../support/scenario";
import { coveredTime, setPhase } from "../../lib/store/phases";
import { NO_TOTALS, withTotals, type Totals } from "../../lib/present/poll";
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
    // The collector's clock walks through the 5-minute window a poll interval at a time, so
    // its six stored polls cover it (CONTRACT 6f measures covered time).
    let clock = Date.now() - 5 * 60_000;
    const r = await setupScenario(
      inject("dockerSocket"),
      "phase0-baseline",
      { L9_POLL_INTERVAL_MS: "60000", L9_INSTANCE_STALE_MS: "3600000" },
      7,
      () => new Date(clock),
    );
    cleanup = r;
    for (let i = 0; i < 6; i++) {
      await r.h.collector.pollOnce();
      clock += 60_000;
    }
    const report = await evaluateAt(r.h.db, r.h.cfg, "5m", new Date(clock - 60_000), 0);
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
    // The advance after every poll (a fast machine polls 20 times within a second), then a moment.
    const advanced = new Date();
    await new Promise((res) => setTimeout(res, 20));
    await setPhase(r.h.db, { phase: 1, startedAt: advanced, setBy: "ana", note: "after review" }, new Date());
    const report = await evaluateAt(r.h.db, r.h.cfg, "10m", new Date(), 0);
    expect(report.current_phase).toBe(1);
    expect(report.history[0]).toMatchObject({ phase: 1, set_by: "ana", note: "after review" });
    expect(report.rollback).toMatchObject({ phase: 1, failing: expect.arrayContaining(["divergence_rate"]) });
    // Evaluated at the advance too: this fleet diverged before it, so not "regressed".
    expect(report.rollback!.criteria).toContainEqual({
      id: "divergence_rate",
      title: "Divergence rate below 5%",
      at_advance: "not_met",
    });
  });

  test("6f: collecting is covered time: polls at most 3 intervals apart, each at its own interval", async () => {
    const r = await setupScenario(inject("dockerSocket"), "port-reuse");
    cleanup = r;
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    // Each poll's running total of covered time is computed as the collector computes it.
    let cum: Totals = { ...NO_TOTALS, id: 99_999, seq: 99_999 };
    const poll = (s: number, intervalMs: number) => {
      const polledAt = new Date(t0 + s * 1000);
      cum = withTotals(cum, {
        polled_at: polledAt,
        interval_ms: intervalMs,
        docker_reachable: true,
        docker_latency_ms: 2,
        docker_error: null,
        duration_ms: 1,
        checks: 0,
        diverged: 0,
        in_flight: 0,
        diverged_ack: 0,
        projects: 0,
        kind_counts: {},
        simulated: false,
      });
      return {
        id: cum.id,
        polledAt,
        dockerReachable: true,
        dockerLatencyMs: 2,
        durationMs: 1,
        intervalMs,
        checks: 0,
        diverged: 0,
        projects: 0,
        seq: cum.seq,
        cumChecks: 0,
        cumDiverged: 0,
        cumCoveredMs: cum.cum_covered_ms,
        cumLatencyMs: cum.cum_latency_ms,
      };
    };
    await r.h.db.poll.createMany({
      data: [
        // Backfilled 10-minute steps: 0 to 30 min, covered.
        ...[0, 600, 1200, 1800].map((s) => poll(s, 600_000)),
        // Live 5 s polls from 31 min on: the 60 s step from the backfill is within 3 x 10 min.
        ...[1860, 1865, 1870].map((s) => poll(s, 5000)),
        // A hole: 5 s polls 2 min apart are not covered.
        ...[1990, 1995].map((s) => poll(s, 5000)),
      ],
    });
    const covered = await coveredTime(r.h.db, new Date(t0), new Date(t0 + 3600_000));
    expect(covered).toBe((1800 + 60 + 10 + 5) * 1000);
  });

  test("6e: label findings weigh on health only for containers created since Phase 1 started", async () => {
    const r = await setupScenario(inject("dockerSocket"), "phase1-rollout");
    cleanup = r;
    const labelled = async () => {
      const s = await r.h.collector.pollOnce();
      const f = s.projects.flatMap((p) => p.findings).filter((x) => x.kind === "labels_missing");
      expect(f.length).toBeGreaterThan(0);
      return { informational: f.every((x) => x.informational), warning: s.summary.health.warning };
    };
    // No Phase 1 recorded: informational, no project is amber for labels alone.
    expect(await labelled()).toEqual({ informational: true, warning: 0 });
    const now = new Date();
    await setPhase(
      r.h.db,
      { phase: 1, startedAt: new Date(now.getTime() - 3600_000), setBy: "t", note: "" },
      now,
    );
    await r.h.collector.refreshPhases();
    const after = await labelled();
    expect(after.informational).toBe(false);
    expect(after.warning).toBeGreaterThan(0);
    // A Phase 1 start after these containers were created: informational again.
    await setPhase(
      r.h.db,
      { phase: 1, startedAt: new Date(now.getTime() + 3600_000), setBy: "t", note: "" },
      now,
    );
    await r.h.collector.refreshPhases();
    expect(await labelled()).toEqual({ informational: true, warning: 0 });
  });
});
