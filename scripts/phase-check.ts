// npm run phase-check -- --phase N [--window 7d]
// Prints phase N's criteria from the database at DATABASE_URL and exits 0 when all are met,
// 1 when one is not, 2 when data is insufficient (and none is unmet), 3 on a usage error.
import { parseArgs } from "node:util";
import fs from "node:fs";
import { parseEnv, sqlitePath } from "../lib/env";
import { closeDb, getDb } from "../lib/db";
import { parseDuration } from "../lib/core/time";
import { evaluateAt } from "../lib/services/evaluate";

const { values } = parseArgs({
  options: {
    phase: { type: "string" },
    window: { type: "string" },
    json: { type: "boolean", default: false },
  },
});
const phase = Number(values.phase);
if (
  !Number.isInteger(phase) ||
  phase < 0 ||
  phase > 4 ||
  (values.window && parseDuration(values.window) === null)
) {
  console.error("usage: npm run phase-check -- --phase 0..4 [--window 7d] [--json]");
  process.exit(3);
}
const cfg = parseEnv();
if (!fs.existsSync(sqlitePath(cfg.databaseUrl))) {
  console.error(`no database at ${sqlitePath(cfg.databaseUrl)} (DATABASE_URL); nothing has been collected`);
  process.exit(2);
}
const report = await evaluateAt(getDb(cfg.databaseUrl), cfg, values.window ?? null, new Date(), 0);
await closeDb(cfg.databaseUrl);
const p = report.phases[phase]!;
if (values.json) console.log(JSON.stringify(p, null, 2));
else {
  console.log(
    `${p.title} — window ${p.window} — ${p.ready ? "READY" : "not ready"} (current phase: ${report.current_phase})`,
  );
  for (const c of p.criteria) {
    const mark = c.status === "met" ? "✔" : c.status === "not_met" ? "✘" : "?";
    console.log(`  ${mark} ${c.title}: ${c.status} (target ${c.target}; actual ${c.actual ?? "—"})`);
    console.log(
      `      ${c.evidence.summary}${c.evidence.minimum && c.status === "insufficient_data" ? ` — needs ${c.evidence.minimum}` : ""}`,
    );
  }
}
process.exit(
  p.criteria.some((c) => c.status === "not_met")
    ? 1
    : p.criteria.some((c) => c.status === "insufficient_data")
      ? 2
      : 0,
);
