// Each phase's criteria (ADR-0098), from a window's figures. Pure: `now` is in the inputs.
import { legacyReadsCriterion } from "./legacy-reads";
import { ms1, rate4 } from "./format";
import {
  conflictsCriterion,
  coverage,
  pct,
  rateCriterion,
  readCriterion,
  restartsCriterion,
} from "./criteria";
import { staleCacheCriterion } from "./adr/reads";
import { invalidLabelKinds } from "./adr/labels";
import { withCrashLeaks } from "./adr/leaks";
import { withAllocationFailures } from "./adr/allocations";
import {
  DIVERGENCE_TARGET,
  FALLBACK_TARGET,
  LIST_P95_TARGET_MS,
  MIN_CHECKS,
  STABLE_MS,
  type Criterion,
  type PhaseInputs,
} from "./phase-types";

export function phase0(inp: PhaseInputs): Criterion[] {
  return [
    rateCriterion("divergence_rate", "Divergence rate below 5%", inp.counts, DIVERGENCE_TARGET),
    {
      id: "no_docker_writes",
      title: "The collector made no Docker writes",
      target: "0 non-GET Docker requests",
      actual: inp.dockerWriteAttempts,
      status: inp.dockerWriteAttempts === 0 ? "met" : "not_met",
      evidence: {
        summary: `${inp.dockerWriteAttempts} non-GET requests attempted by this process (every one is refused before the socket); only GET is ever sent`,
      },
    },
    coverage(inp),
  ];
}

export function phase1(inp: PhaseInputs): Criterion[] {
  const cs = inp.newContainers;
  const missing = cs.filter((c) => c.labelIssues.includes("labels_missing"));
  // CONTRACT 6f: validity is judged only on containers that carry labels to validate.
  const validatable = cs.filter(
    (c) =>
      (c.labels.includes("com.l9.project_hash") && c.labels.includes("com.l9.project_path")) ||
      c.labels.includes("com.l9.port"),
  );
  const invalidKinds = invalidLabelKinds(inp.labelHashPrefixOk === true);
  const invalid = validatable.filter((c) => c.labelIssues.some((k) => invalidKinds.has(k)));
  const since = inp.phase1StartedAt
    ? `first seen since Phase 1 started (${inp.phase1StartedAt})`
    : "first seen in the window (Phase 1 has no recorded start)";
  const insufficient = cs.length === 0;
  const share = (n: number, of: number) => (of ? rate4((of - n) / of) : null);
  return [
    {
      id: "labels_present",
      title: "Every new container carries project_hash, port and project_path",
      target: "100% of new containers",
      actual: share(missing.length, cs.length),
      status: insufficient ? "insufficient_data" : missing.length === 0 ? "met" : "not_met",
      evidence: {
        summary: `${cs.length - missing.length} of ${cs.length} containers ${since} carry the three labels`,
        minimum: "at least 1 new container",
        details: missing.map((c) => ({
          id: c.id.slice(0, 12),
          project: c.project,
          first_seen: c.firstSeenAt,
        })),
      },
    },
    {
      id: "labels_valid",
      title: "New containers' labels are valid (hash of the path, port label = bound port)",
      target: "100% of new containers",
      actual: share(invalid.length, validatable.length),
      status: validatable.length === 0 ? "insufficient_data" : invalid.length === 0 ? "met" : "not_met",
      evidence: {
        summary:
          validatable.length === 0
            ? `0 of ${cs.length} new containers carry labels to validate`
            : `${validatable.length - invalid.length} of ${validatable.length} new containers that carry ` +
              `labels have valid ones (${cs.length} new in all)`,
        minimum: "at least 1 new container carrying the labels",
        details: invalid.map((c) => ({ id: c.id.slice(0, 12), project: c.project, issues: c.labelIssues })),
      },
    },
  ];
}

export function phase2(inp: PhaseInputs): Criterion[] {
  const p1 = inp.phase1Counts;
  const nowRate = inp.counts.checks ? inp.counts.diverged / inp.counts.checks : null;
  const p1Rate = p1 && p1.checks ? p1.diverged / p1.checks : null;
  const noIncrease: Criterion =
    nowRate === null || p1Rate === null || inp.counts.checks < MIN_CHECKS || (p1?.checks ?? 0) < MIN_CHECKS
      ? {
          id: "no_divergence_increase",
          title: "No increase in divergence against the Phase 1 window",
          target: "rate ≤ Phase 1's rate",
          actual: nowRate === null ? null : rate4(nowRate),
          status: "insufficient_data",
          evidence: {
            summary: p1
              ? `Phase 1: ${p1.checks} checks; window: ${inp.counts.checks} checks`
              : "no Phase 1 period recorded",
            minimum: `at least ${MIN_CHECKS} checks in both`,
          },
        }
      : {
          id: "no_divergence_increase",
          title: "No increase in divergence against the Phase 1 window",
          target: `≤ ${pct(p1Rate)} (Phase 1)`,
          actual: rate4(nowRate),
          status: nowRate <= p1Rate ? "met" : "not_met",
          evidence: { summary: `${pct(nowRate)} now against ${pct(p1Rate)} in Phase 1` },
        };
  return [
    readCriterion(
      "docker_success_rate",
      "Docker queries succeed",
      "> 95% of reads",
      inp,
      (r) => r.dockerOk / r.reads,
      (x) => x > 0.95,
      0.95,
    ),
    readCriterion(
      "fallback_rate",
      "Fallback to the dict is rare",
      "< 5% of reads",
      inp,
      (r) => r.fallback / r.reads,
      (x) => x < FALLBACK_TARGET,
      FALLBACK_TARGET,
    ),
    noIncrease,
    staleCacheCriterion(inp.reads),
  ];
}

export function phase3(inp: PhaseInputs): Criterion[] {
  return [
    rateCriterion("zero_divergence", "Zero divergence", inp.counts, 0, true),
    withCrashLeaks(restartsCriterion(inp), inp.crashLeaked),
    withAllocationFailures(conflictsCriterion(inp.counts), inp.allocationFailures),
  ];
}

export function phase4(inp: PhaseInputs): Criterion[] {
  const now = Date.parse(inp.now);
  const started = inp.phase3StartedAt ? Date.parse(inp.phase3StartedAt) : null;
  const held = started !== null ? now - started : 0;
  const c = inp.last28d;
  let stable: Criterion;
  if (started === null || held <= STABLE_MS) {
    stable = {
      id: "phase3_stable_4w",
      title: "Phase 3's criteria held for more than 4 weeks",
      target: "> 28 days",
      actual: started === null ? null : Math.floor(held / 86400_000),
      status: "insufficient_data",
      evidence: {
        summary:
          started === null
            ? "Phase 3 has not started"
            : `Phase 3 started ${inp.phase3StartedAt}: ${(held / 86400_000).toFixed(1)} days`,
        minimum: "more than 28 days in Phase 3",
      },
    };
  } else if (c.checks < MIN_CHECKS) {
    stable = {
      id: "phase3_stable_4w",
      title: "Phase 3's criteria held for more than 4 weeks",
      target: "> 28 days",
      actual: null,
      status: "insufficient_data",
      evidence: {
        summary: `${c.checks} checks over the last 28 days`,
        minimum: `at least ${MIN_CHECKS} checks`,
      },
    };
  } else {
    const ok = c.diverged === 0 && c.portConflicts === 0 && inp.last28dRestartsUnrecovered === 0;
    stable = {
      id: "phase3_stable_4w",
      title: "Phase 3's criteria held for more than 4 weeks",
      target: "> 28 days",
      actual: Math.floor(held / 86400_000),
      status: ok ? "met" : "not_met",
      evidence: {
        summary: `last 28 days: ${c.diverged} diverged checks, ${c.portConflicts} port conflicts, ${inp.last28dRestartsUnrecovered} unrecovered restarts`,
      },
    };
  }
  const l = inp.latency;
  const latency: Criterion =
    l.samples < 20 || l.p95 === null
      ? {
          id: "docker_latency",
          title: "Docker query latency within the ADR's figures",
          target: `full list p95 ≤ ${LIST_P95_TARGET_MS} ms`,
          target_value: LIST_P95_TARGET_MS,
          unit: "ms",
          actual: l.p95 === null ? null : ms1(l.p95),
          status: "insufficient_data",
          evidence: { summary: `${l.samples} latency samples`, minimum: "at least 20 polls" },
        }
      : {
          id: "docker_latency",
          title: "Docker query latency within the ADR's figures",
          target: `full list p95 ≤ ${LIST_P95_TARGET_MS} ms (ADR: 20-30 ms; a single label query 5-10 ms)`,
          target_value: LIST_P95_TARGET_MS,
          unit: "ms",
          actual: ms1(l.p95),
          status: l.p95 <= LIST_P95_TARGET_MS ? "met" : "not_met",
          evidence: {
            summary: `the collector's own label-filtered list: p50 ${l.p50?.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms over ${l.samples} polls`,
          },
        };
  const s = inp.signOff;
  const signOff: Criterion =
    s && s.decision === "advance" && s.signOffs.length > 0
      ? {
          id: "team_sign_off",
          title: "Team sign-off recorded",
          target: "a review deciding to advance, signed off",
          actual: s.signOffs.join(", "),
          status: "met",
          evidence: {
            summary: `review ${s.reviewId} (${s.at}): advance, signed off by ${s.signOffs.join(", ")}`,
          },
        }
      : {
          id: "team_sign_off",
          title: "Team sign-off recorded",
          target: "a review deciding to advance, signed off",
          actual: null,
          status: "not_met",
          evidence: {
            summary: s
              ? `latest Phase 4 review ${s.reviewId}: ${s.decision}, ${s.signOffs.length} sign-offs`
              : "no Phase 4 review recorded",
          },
        };
  return [stable, latency, legacyReadsCriterion(inp.legacyReads, inp.now), signOff];
}
