// Built-in notifications, the pure part: which conditions hold now, and how alert episodes
// move (pending -> firing -> resolved) with a duration, one message per episode and one on
// recovery. No I/O, no clock: `now` is an argument.

export type AlertRule =
  | "project_diverged"
  | "divergence_over_gate"
  | "docker_unreachable"
  | "instance_stale"
  | "rollback_signal"
  | "phase_ready"
  | "ack_expiring";

export type Severity = "info" | "warning" | "critical";

/** A condition that holds at this poll: its episode key, and what to tell people. */
export type Condition = {
  key: string;
  rule: AlertRule;
  severity: Severity;
  subject: string;
  message: string;
  /** the gate this touches, in words ("Phase 0 divergence over 24 h is now 6.1%, gate < 5%") */
  gate: string | null;
  /** a path on the app ("/projects/alpha") */
  path: string;
};

export type AlertEpisode = {
  condition: Condition;
  /** when the condition first held (the episode's start) */
  since: string;
  /** whether the firing message went out for this episode */
  fired: boolean;
};

export type Notification = {
  event: "firing" | "resolved";
  condition: Condition;
  since: string;
  at: string;
};

export const DEFAULT_AFTER_MS: Record<AlertRule, number> = {
  project_diverged: 15 * 60_000,
  divergence_over_gate: 15 * 60_000,
  docker_unreachable: 2 * 60_000,
  instance_stale: 5 * 60_000,
  rollback_signal: 5 * 60_000,
  phase_ready: 10 * 60_000,
  ack_expiring: 0,
};

export type ConditionInput = {
  docker: { reachable: boolean; endpoint: string; error: string | null };
  projects: { project: string; health: string; kinds: string[] }[];
  sources: { id: string; kind: string; status: string }[];
  /** the current phase's divergence over its window, when known */
  gate: { phase: number; window: string; rate: number | null; checks: number } | null;
  phases: { current: number; ready: boolean[]; rollback: string[] | null } | null;
  /** acknowledgements in force, to announce those that expire within a day */
  acks?: { id: number; project: string; kind: string | null; owner: string; expiresAt: string }[];
  now?: Date;
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The conditions that hold now. */
export function conditionsOf(inp: ConditionInput): Condition[] {
  const out: Condition[] = [];
  const gateWords =
    inp.gate?.rate != null
      ? `Phase ${inp.gate.phase} divergence over ${inp.gate.window} is now ${pct(inp.gate.rate)}, gate < 5%`
      : null;
  if (!inp.docker.reachable) {
    out.push({
      key: "docker_unreachable",
      rule: "docker_unreachable",
      severity: "critical",
      subject: inp.docker.endpoint,
      message: `Docker at ${inp.docker.endpoint} is unreachable${inp.docker.error ? ` (${inp.docker.error})` : ""}: every project's health is unknown`,
      gate: "no checks are counted while Docker is unreachable",
      path: "/sources",
    });
  }
  for (const p of inp.projects) {
    if (p.health !== "diverged") continue;
    out.push({
      key: `project_diverged:${p.project}`,
      rule: "project_diverged",
      severity: "warning",
      subject: p.project,
      message: `Project ${p.project} is diverged (${p.kinds.join(", ")})`,
      gate: gateWords,
      path: `/projects/${encodeURIComponent(p.project)}`,
    });
  }
  if (inp.gate && inp.gate.rate !== null && inp.gate.rate >= 0.05) {
    out.push({
      key: "divergence_over_gate",
      rule: "divergence_over_gate",
      severity: "warning",
      subject: `phase ${inp.gate.phase}`,
      message: `Divergence is over the gate: ${pct(inp.gate.rate)} of ${inp.gate.checks} checks over ${inp.gate.window}`,
      gate: gateWords,
      path: "/phases",
    });
  }
  for (const s of inp.sources) {
    if (s.kind !== "active_indexers" || s.status !== "stale") continue;
    out.push({
      key: `instance_stale:${s.id}`,
      rule: "instance_stale",
      severity: "info",
      subject: s.id,
      message: `Orchestrator ${s.id.replace(/^active_indexers:/, "")} went silent: it may have crashed`,
      gate: "a restart must recover within 2 minutes for Phase 3's crash-recovery criterion",
      path: "/sources",
    });
  }
  if (inp.phases?.rollback) {
    out.push({
      key: "rollback_signal",
      rule: "rollback_signal",
      severity: "critical",
      subject: `phase ${inp.phases.current}`,
      message: `Rollback signal: since the advance to Phase ${inp.phases.current}, Phase ${inp.phases.current - 1}'s criteria regressed (${inp.phases.rollback.join(", ")})`,
      gate: "ADR-0098's rollback plan applies",
      path: "/phases",
    });
  }
  for (const a of inp.acks ?? []) {
    const left = Date.parse(a.expiresAt) - (inp.now?.getTime() ?? 0);
    if (!inp.now || left <= 0 || left > 86400_000) continue;
    out.push({
      key: `ack_expiring:${a.id}`,
      rule: "ack_expiring",
      severity: "info",
      subject: a.project,
      message: `The acknowledgement of ${a.kind ?? "findings"} on ${a.project} (${a.owner}) expires at ${a.expiresAt}`,
      gate: "once it expires, its findings count in the adjusted rate again",
      path: "/",
    });
  }
  inp.phases?.ready.forEach((ready, phase) => {
    if (!ready || phase <= (inp.phases?.current ?? 0)) return;
    out.push({
      key: `phase_ready:${phase}`,
      rule: "phase_ready",
      severity: "info",
      subject: `phase ${phase}`,
      message: `Phase ${phase}'s criteria are all met: ready for a review`,
      gate: `Phase ${phase} may advance after a review`,
      path: "/phases",
    });
  });
  return out;
}

/**
 * Moves the episodes one poll on. A condition fires once it has held for its rule's duration
 * (one message per episode); when it stops holding, a fired episode sends one "resolved".
 */
export function advanceAlerts(
  episodes: ReadonlyMap<string, AlertEpisode>,
  conditions: readonly Condition[],
  now: Date,
  afterMs: (rule: AlertRule) => number,
): { episodes: Map<string, AlertEpisode>; notifications: Notification[] } {
  const next = new Map<string, AlertEpisode>();
  const notifications: Notification[] = [];
  const at = now.toISOString();
  for (const c of conditions) {
    const prev = episodes.get(c.key);
    const ep: AlertEpisode = prev ? { ...prev, condition: c } : { condition: c, since: at, fired: false };
    if (!ep.fired && now.getTime() - Date.parse(ep.since) >= afterMs(c.rule)) {
      ep.fired = true;
      notifications.push({ event: "firing", condition: c, since: ep.since, at });
    }
    next.set(c.key, ep);
  }
  for (const [key, ep] of episodes) {
    if (next.has(key) || !ep.fired) continue;
    notifications.push({ event: "resolved", condition: ep.condition, since: ep.since, at });
  }
  return { episodes: next, notifications };
}

/** The message people read, in the generic JSON body and in Slack's text. */
export function describe(n: Notification, appUrl: string): { title: string; text: string; url: string } {
  const url = `${appUrl}${n.condition.path}`;
  const title =
    n.event === "firing"
      ? `[${n.condition.severity.toUpperCase()}] ${n.condition.message}`
      : `[RESOLVED] ${n.condition.message.replace(/ is diverged .*$/, " is consistent again")}`;
  const lines = [
    title,
    `Since ${n.since}${n.event === "resolved" ? `, resolved ${n.at}` : ""}.`,
    ...(n.condition.gate ? [n.condition.gate + "."] : []),
  ];
  return { title, text: lines.join("\n"), url };
}
