import { describe, expect, test } from "vitest";
import { evaluatePhases, phaseState, rollbackSignal, type PhaseInputs, type WindowCounts } from "./phases";

const counts = (checks: number, diverged: number, extra: Partial<WindowCounts> = {}): WindowCounts => ({
  checks,
  diverged,
  polls: 1000,
  reachablePolls: 1000,
  portConflicts: 0,
  firstPollAt: "2026-01-01T00:00:00Z",
  lastPollAt: "2026-01-08T00:00:00Z",
  ...extra,
});

function inputs(over: Partial<PhaseInputs> = {}): PhaseInputs {
  return {
    now: "2026-03-01T00:00:00Z",
    windowLabel: "7d",
    windowMs: 7 * 86400_000,
    pollIntervalMs: 5000,
    counts: counts(1000, 10, { polls: 120960 }),
    dockerWriteAttempts: 0,
    newContainers: [],
    coveredMs: 7 * 86400_000,
    byHost: [],
    phase1StartedAt: null,
    reads: { reads: 0, fallback: 0, dockerOk: 0 },
    readsByInstance: [],
    phase1Counts: null,
    restarts: [],
    phase3StartedAt: null,
    last28d: counts(0, 0),
    last28dRestartsUnrecovered: 0,
    latency: { samples: 0, p50: null, p95: null },
    signOff: null,
    ...over,
  };
}

const crit = (inp: PhaseInputs, phase: number, id: string) =>
  evaluatePhases(inp)[phase]!.criteria.find((c) => c.id === id)!;

describe("Phase 0", () => {
  test.each([
    [1000, 49, "met"],
    [1000, 50, "not_met"], // 5.0% is not < 5%
    [1000, 51, "not_met"],
    [100, 4, "met"],
    [100, 5, "not_met"],
    [99, 0, "insufficient_data"],
    [0, 0, "insufficient_data"],
  ])("divergence %d checks, %d diverged: %s", (checks, diverged, status) => {
    expect(
      crit(inputs({ counts: counts(checks, diverged, { polls: 120960 }) }), 0, "divergence_rate").status,
    ).toBe(status);
  });

  test.each([
    [0, "met"],
    [1, "not_met"],
  ])("docker write attempts %d: %s", (n, status) => {
    expect(crit(inputs({ dockerWriteAttempts: n }), 0, "no_docker_writes").status).toBe(status);
  });

  const WEEK = 7 * 86400_000;
  test.each([
    [WEEK, "met"],
    [WEEK * 0.9, "met"],
    [WEEK * 0.9 - 1, "not_met"],
    [0, "not_met"],
  ])("coverage with %d ms covered: %s", (coveredMs, status) => {
    expect(crit(inputs({ coveredMs }), 0, "collecting").status).toBe(status);
  });

  test("coverage is covered time, not a count of polls (6f: 10-minute steps count whole)", () => {
    const inp = inputs({ coveredMs: WEEK, counts: counts(1000, 0, { polls: 1008 }) });
    const c = crit(inp, 0, "collecting");
    expect(c).toMatchObject({ status: "met", actual: 1 });
    expect(c.evidence.summary).toMatch(/7\.00 d of 7\.00 d covered by 1008 polls/);
  });

  test("ready only when every criterion is met", () => {
    expect(evaluatePhases(inputs())[0]!.ready).toBe(true);
    expect(evaluatePhases(inputs({ dockerWriteAttempts: 1 }))[0]!.ready).toBe(false);
  });
});

describe("Phase 1", () => {
  const ALL = ["com.l9.project_hash", "com.l9.port", "com.l9.project_path"];
  const c = (issues: string[], labels: string[] = ALL) => ({
    id: "a".repeat(64),
    project: "p",
    firstSeenAt: "2026-02-01T00:00:00Z",
    labelIssues: issues,
    labels,
  });
  test.each([
    [[], "insufficient_data", "insufficient_data"],
    [[c([])], "met", "met"],
    [[c([]), c(["labels_missing"], [])], "not_met", "met"],
    [[c([]), c(["label_hash_invalid"])], "met", "not_met"],
    [[c(["label_port_mismatch"])], "met", "not_met"],
    // 6f: containers carrying none of the labels give nothing to validate.
    [[c(["labels_missing"], []), c(["labels_missing"], [])], "not_met", "insufficient_data"],
    [[c(["labels_missing"], ["com.l9.port"])], "not_met", "met"],
  ])("containers %j", (cs, present, valid) => {
    const inp = inputs({ newContainers: cs });
    expect(crit(inp, 1, "labels_present").status).toBe(present);
    expect(crit(inp, 1, "labels_valid").status).toBe(valid);
  });

  test("6f: no container carrying labels is insufficient data, said in numbers", () => {
    const cs = Array.from({ length: 14 }, () => c(["labels_missing"], []));
    const v = crit(inputs({ newContainers: cs }), 1, "labels_valid");
    expect(v).toMatchObject({ status: "insufficient_data", actual: null });
    expect(v.evidence.summary).toBe("0 of 14 new containers carry labels to validate");
  });

  test("6f: actuals are rounded for people", () => {
    const inp = inputs({ counts: counts(1000, 0, { checks: 7, diverged: 1 }) });
    const all = evaluatePhases(inp).flatMap((p) => p.criteria);
    for (const x of all) {
      if (typeof x.actual === "number") expect(x.actual).toBe(Math.round(x.actual * 1e4) / 1e4);
    }
  });
});

describe("Phase 2", () => {
  test.each([
    [1000, 951, "met"],
    [1000, 950, "not_met"], // 95.0% is not > 95%
    [99, 99, "insufficient_data"],
  ])("docker success %d reads, %d ok: %s", (reads, ok, status) => {
    expect(
      crit(inputs({ reads: { reads, fallback: 0, dockerOk: ok } }), 2, "docker_success_rate").status,
    ).toBe(status);
  });

  test.each([
    [1000, 49, "met"],
    [1000, 50, "not_met"],
    [10, 0, "insufficient_data"],
  ])("fallback %d reads, %d fallback: %s", (reads, fallback, status) => {
    expect(crit(inputs({ reads: { reads, fallback, dockerOk: reads } }), 2, "fallback_rate").status).toBe(
      status,
    );
  });

  test.each([
    [counts(1000, 10), counts(1000, 10), "met"],
    [counts(1000, 10), counts(1000, 11), "not_met"],
    [null, counts(1000, 11), "insufficient_data"],
  ])("no increase against Phase 1", (p1, now, status) => {
    expect(crit(inputs({ phase1Counts: p1, counts: now }), 2, "no_divergence_increase").status).toBe(status);
  });
});

describe("Phase 3", () => {
  const r = (detected: string, recovered: string | null) => ({
    instanceId: "b",
    previousInstanceId: "a",
    startedAt: detected,
    detectedAt: detected,
    recoveredAt: recovered,
    reason: "replaced_stale",
  });
  test.each([
    [counts(1000, 0), "met"],
    [counts(1000, 1), "not_met"],
    [counts(50, 0), "insufficient_data"],
  ])("zero divergence %o", (cs, status) => {
    expect(crit(inputs({ counts: cs }), 3, "zero_divergence").status).toBe(status);
  });

  test.each([
    [[], "insufficient_data"],
    [[r("2026-02-01T00:00:00Z", "2026-02-01T00:02:00Z")], "met"],
    [[r("2026-02-01T00:00:00Z", "2026-02-01T00:02:00.001Z")], "not_met"],
    [[r("2026-02-01T00:00:00Z", null)], "not_met"],
  ])("restarts %j", (rs, status) => {
    expect(crit(inputs({ restarts: rs }), 3, "crash_recovery").status).toBe(status);
  });

  test.each([
    [0, "met"],
    [1, "not_met"],
  ])("port conflicts %d", (n, status) => {
    expect(
      crit(inputs({ counts: counts(1000, 0, { portConflicts: n }) }), 3, "no_port_conflicts").status,
    ).toBe(status);
  });
});

describe("Phase 4", () => {
  const day = 86400_000;
  const now = Date.parse("2026-03-01T00:00:00Z");
  test.each([
    [null, counts(1000, 0), "insufficient_data"],
    [new Date(now - 28 * day).toISOString(), counts(1000, 0), "insufficient_data"], // exactly 4 weeks is not more
    [new Date(now - 28 * day - 1000).toISOString(), counts(1000, 0), "met"],
    [new Date(now - 40 * day).toISOString(), counts(1000, 1), "not_met"],
    [new Date(now - 40 * day).toISOString(), counts(1000, 0, { portConflicts: 2 }), "not_met"],
  ])("stable since %s", (start, last28d, status) => {
    expect(crit(inputs({ phase3StartedAt: start, last28d }), 4, "phase3_stable_4w").status).toBe(status);
  });

  test.each([
    [{ samples: 100, p50: 20, p95: 30 }, "met"],
    [{ samples: 100, p50: 20, p95: 30.1 }, "not_met"],
    [{ samples: 5, p50: 1, p95: 2 }, "insufficient_data"],
  ])("latency %o", (latency, status) => {
    expect(crit(inputs({ latency }), 4, "docker_latency").status).toBe(status);
  });

  test.each([
    [null, "not_met"],
    [{ reviewId: "r1", decision: "advance", signOffs: ["ana"], at: "2026-02-28T00:00:00Z" }, "met"],
    [{ reviewId: "r1", decision: "hold", signOffs: ["ana"], at: "2026-02-28T00:00:00Z" }, "not_met"],
    [{ reviewId: "r1", decision: "advance", signOffs: [], at: "2026-02-28T00:00:00Z" }, "not_met"],
  ])("sign-off %o", (signOff, status) => {
    expect(crit(inputs({ signOff }), 4, "team_sign_off").status).toBe(status);
  });
});

describe("rollback signal", () => {
  test("a regression of the previous phase after an advance", () => {
    const results = evaluatePhases(inputs({ counts: counts(1000, 80, { polls: 120960 }) }));
    expect(rollbackSignal(1, results)).toMatchObject({ phase: 1, failing: ["divergence_rate"] });
    expect(rollbackSignal(0, results)).toBeNull();
    expect(rollbackSignal(1, evaluatePhases(inputs()))).toBeNull();
  });
});

describe("phase state from the history of changes", () => {
  const h = (phase: number, started_at: string) => ({ phase, started_at });
  test.each([
    ["no history, no configuration: phase 0", [], undefined, 0, [null, null, null, null, null]],
    ["no history: the configured phase", [], 2, 2, [null, null, null, null, null]],
    [
      "the newest change wins over configuration",
      [h(1, "2026-11-02T00:00:00Z"), h(0, "2026-11-01T00:00:00Z")],
      3,
      1,
      ["2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", null, null, null],
    ],
    [
      "a phase set twice keeps its newest start",
      [h(1, "2026-11-05T00:00:00Z"), h(0, "2026-11-03T00:00:00Z"), h(1, "2026-11-02T00:00:00Z")],
      undefined,
      1,
      ["2026-11-03T00:00:00Z", "2026-11-05T00:00:00Z", null, null, null],
    ],
  ] as const)("%s", (_name, history, configured, current, starts) => {
    expect(phaseState([...history], configured)).toEqual({ current, starts: [...starts] });
  });
});

describe("many hosts (a server)", () => {
  const byHost = [
    { host: "ana", counts: counts(600, 0), coveredMs: 7 * 86400_000 },
    { host: "bo", counts: counts(400, 30), coveredMs: 2 * 86400_000 },
  ];
  test("the fleet verdict comes from the sums, and each host's own figures are in the evidence", () => {
    const inp = inputs({ counts: counts(1000, 30), byHost, coveredMs: 2 * 86400_000 });
    const rate = crit(inp, 0, "divergence_rate");
    expect(rate.status).toBe("met"); // 3% over the fleet, though bo alone is at 7.5%
    const details = rate.evidence.details as { by_host: { host: string; rate: number | null }[] };
    expect(details.by_host.map((h) => [h.host, h.rate])).toEqual([
      ["ana", 0],
      ["bo", 0.075],
    ]);
    // coverage is the least-covered host's: bo was silent five days of seven
    expect(crit(inp, 0, "collecting").status).toBe("not_met");
  });
  test("one machine: no breakdown is added", () => {
    expect(crit(inputs(), 0, "divergence_rate").evidence.details).toBeUndefined();
  });
});

describe("Phase 2 lists no_stale_cache_reads (CONTRACT 7g)", () => {
  test.each([
    [{ reads: 0, fallback: 0, dockerOk: 0 }, "insufficient_data"],
    [{ reads: 200, fallback: 0, dockerOk: 200, cache: 30, staleCache: 0 }, "met"],
    [{ reads: 200, fallback: 0, dockerOk: 200, cache: 30, staleCache: 2 }, "not_met"],
  ] as const)("%o: %s", (reads, status) => {
    expect(crit(inputs({ reads }), 2, "no_stale_cache_reads").status).toBe(status);
  });
});

describe("labels_valid and the 12-hex hash (CONTRACT 7d)", () => {
  const nc = (labelIssues: string[]) => ({
    id: "a1".repeat(32),
    project: "alpha",
    firstSeenAt: "2026-02-28T00:00:00Z",
    labelIssues,
    labels: ["com.l9.project_hash", "com.l9.port", "com.l9.project_path"],
  });
  test.each([
    [undefined, ["label_hash_truncated"], "not_met"],
    [false, ["label_hash_truncated"], "not_met"],
    [true, ["label_hash_truncated"], "met"],
    [true, ["label_hash_invalid"], "not_met"],
    [true, [], "met"],
  ] as const)("L9_LABEL_HASH_PREFIX_OK %s, issues %o: %s", (ok, issues, status) => {
    const inp = inputs({ newContainers: [nc([...issues])], labelHashPrefixOk: ok });
    expect(crit(inp, 1, "labels_valid").status).toBe(status);
  });
});
