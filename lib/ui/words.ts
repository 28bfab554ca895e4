// One vocabulary (issue 27): the human name of each alert rule; the id stays in a title.
import type { AlertRule } from "../core/alerts";

export const RULE_LABEL: Record<AlertRule, string> = {
  project_diverged: "a project stays diverged",
  divergence_over_gate: "divergence over the phase's target",
  docker_unreachable: "Docker unreachable",
  instance_stale: "an orchestrator process went silent",
  rollback_signal: "rollback signal",
  phase_ready: "a phase is ready to advance",
  ack_expiring: "an acknowledgement expires soon",
};

export const ruleLabel = (rule: string) => RULE_LABEL[rule as AlertRule] ?? rule;
