// The shipped Prometheus rules and Grafana dashboard, checked by Debian's promtool: the rules
// as they are, and every dashboard query as a recording rule (Grafana's $__rate_interval
// standing in as 5m), so a typo in a panel fails here, not on someone's wall screen.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { z } from "zod";

const promtool = (file: string) => execFileSync("promtool", ["check", "rules", file], { encoding: "utf8" });

test("the alerting rules pass promtool, each with for, severity, summary and dashboard_url", () => {
  const file = "deploy/prometheus/l9-alerts.yml";
  expect(promtool(file)).toMatch(/SUCCESS: 7 rules found/);
  const text = fs.readFileSync(file, "utf8");
  const alerts = text.split(/\n\s+- alert: /).slice(1);
  expect(alerts.map((a) => a.split("\n")[0])).toEqual([
    "L9DivergenceOverGate",
    "L9DockerUnreachable",
    "L9CollectorBehind",
    "L9OrchestratorInstanceStale",
    "L9ProjectDiverged",
    "L9RollbackSignal",
    "L9PhaseCriteriaMet",
  ]);
  for (const a of alerts) {
    expect(a).toMatch(/\n\s+for: \d+m/);
    expect(a).toMatch(/\n\s+severity: (info|warning|critical)/);
    expect(a).toMatch(/\n\s+summary: /);
    expect(a).toMatch(/\n\s+dashboard_url: "\{\{ \$labels\.url \}\}\//);
  }
});

test("every Grafana panel query is valid PromQL over the app's metrics", () => {
  const dash = z
    .object({
      panels: z.array(z.object({ title: z.string(), targets: z.array(z.object({ expr: z.string() })) })),
    })
    .parse(JSON.parse(fs.readFileSync("deploy/grafana/l9-state-health.json", "utf8")));
  const exprs = dash.panels.flatMap((p) => p.targets.map((t) => t.expr));
  expect(exprs.length).toBeGreaterThanOrEqual(9);
  const titles = dash.panels.map((p) => p.title).join(" | ");
  for (const needed of [
    "Divergence rate",
    "Findings by kind",
    "fallback",
    "Docker list latency",
    "Projects by health",
  ]) {
    expect(titles).toContain(needed);
  }
  const rules = [
    "groups:",
    "  - name: grafana-panels",
    "    rules:",
    ...exprs.flatMap((e, i) => [
      `      - record: l9_dashboard_panel_${i}`,
      `        expr: ${JSON.stringify(e.replaceAll("$__rate_interval", "5m"))}`,
    ]),
  ].join("\n");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-dash-"));
  const file = path.join(dir, "panels.yml");
  try {
    fs.writeFileSync(file, rules);
    expect(promtool(file)).toMatch(new RegExp(`SUCCESS: ${exprs.length} rules found`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
