// Known differences through the collector, on a real daemon and real SQLite: an
// acknowledgement lowers the adjusted rate and never the raw one, its findings stay visible and
// recorded, expiry brings them back, and the phase criteria show both figures.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { Fleet } from "../support/fleet";
import { makeHarness, type Harness } from "../support/harness";
import { createAck } from "../../lib/store/acks";
import { evaluateAt } from "../../lib/services/evaluate";

let fleet: Fleet;
let h: Harness;
const audit = () => ({
  at: new Date(),
  actor: "ana",
  via: "local",
  fromAddr: "127.0.0.1",
  userAgent: "test",
});

beforeAll(async () => {
  const socket = inject("dockerSocket");
  fleet = new Fleet(socket);
  h = await makeHarness({ dockerHost: `unix://${socket}`, selector: fleet.selector });
  await fleet.run({ project: "alpha", port: 48101, phase1: true });
  await fleet.run({ project: "beta", port: 48102, phase1: true });
  // The registry keeps beta right and knows nothing of alpha: alpha's check is diverged.
  h.writeRegistry({ beta: 48102 });
});

afterAll(async () => {
  await h?.close();
  await fleet?.cleanup();
});

describe("acknowledgements", () => {
  test("an acknowledgement changes the adjusted rate and not the raw one; the finding stays, muted", async () => {
    let s = await h.collector.pollOnce();
    expect(s.summary).toMatchObject({
      checks: 2,
      diverged: 1,
      divergence_rate: 0.5,
      divergence_rate_acknowledged: 0.5,
    });
    await createAck(
      h.db,
      {
        project: "al*",
        source: "container_registry",
        kind: "missing_in_source",
        value: null,
        reason: "kept out of the registry on purpose",
        expiresAt: new Date(Date.now() + 86400_000),
      },
      audit(),
    );
    await h.collector.refreshAcks();
    s = await h.collector.pollOnce();
    expect(s.summary).toMatchObject({
      diverged: 1,
      divergence_rate: 0.5,
      diverged_acknowledged: 1,
      divergence_rate_acknowledged: 0,
      acknowledgements_in_force: 1,
    });
    const alpha = s.projects.find((p) => p.project === "alpha")!;
    expect(alpha.health).toBe("diverged");
    expect(alpha.findings[0]).toMatchObject({
      kind: "missing_in_source",
      acknowledgement: { owner: "ana", reason: "kept out of the registry on purpose" },
    });
    // Still recorded as an episode.
    const open = await h.db.findingEpisode.count({
      where: { project: "alpha", kind: "missing_in_source", closedAt: null },
    });
    expect(open).toBe(1);
    // The criteria show both figures; the verdict is the raw one.
    for (let i = 0; i < 60; i++) await h.collector.pollOnce();
    const report = await evaluateAt(h.db, h.cfg, "1h", new Date(), 0);
    const rate = report.phases[0]!.criteria.find((c) => c.id === "divergence_rate")!;
    expect(rate.status).toBe("not_met");
    expect(rate.actual).toBe(0.5);
    // 62 polls x 2 checks, 62 diverged; 61 of them after the acknowledgement: 1 / 124 left.
    expect(rate.acknowledged).toMatchObject({ actual: 0.0081, status: "met", left_out: 61 });
    expect(rate.evidence.summary).toMatch(/explained by acknowledgements/);
  });

  test("expiry brings the finding back into the adjusted rate", async () => {
    await h.db.acknowledgement.updateMany({ data: { expiresAt: new Date(Date.now() + 1000) } });
    await h.collector.refreshAcks();
    expect((await h.collector.pollOnce()).summary.divergence_rate_acknowledged).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    await h.collector.refreshAcks();
    const s = await h.collector.pollOnce();
    expect(s.summary).toMatchObject({ divergence_rate_acknowledged: 0.5, acknowledgements_in_force: 0 });
    expect(s.projects.find((p) => p.project === "alpha")!.findings[0]!.acknowledgement).toBeUndefined();
  });
});
