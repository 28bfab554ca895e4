// npm run agent: the agent role with no web UI (issue 14). Polls this machine's Docker,
// registry file and orchestrator snapshots exactly as the app does, keeps its own history in
// DATABASE_URL (the embedded SQLite by default), and sends every poll to L9_SERVER_URL,
// buffering on disk while the server is away. Stops cleanly on SIGINT/SIGTERM.
import { ConfigError, parseEnv, redactUrl } from "../lib/env";
import { applyMigrations } from "./schema-engine.mjs";

process.env.L9_ROLE ||= "agent";
let cfg;
try {
  cfg = parseEnv();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(2);
}
if (cfg.role !== "agent") {
  console.error(`npm run agent runs the agent role; L9_ROLE is ${cfg.role}`);
  process.exit(2);
}
console.log(
  `[agent] host ${cfg.agent.hostName} -> ${cfg.agent.serverUrl}; Docker ${cfg.dockerHost}, ` +
    `registry ${cfg.registryPath}, database ${redactUrl(cfg.databaseUrl)}, poll every ${cfg.pollIntervalMs} ms, ` +
    `buffer up to ${cfg.agent.bufferMax} polls`,
);
await applyMigrations(cfg.databaseUrl);
const { startCollector, stopCollector, getShipper } = await import("../lib/collector/runtime");
const { closeDb } = await import("../lib/db");
await startCollector();

// A status line a minute, so `journalctl --user -u l9-agent` says how it is doing.
const status = setInterval(() => {
  const s = getShipper()?.status;
  if (s)
    console.log(
      `[agent] sent ${s.sent} polls, ${s.buffered} buffered, ${s.dropped} dropped` +
        (s.lastError ? `; last error: ${s.lastError}` : ""),
    );
}, 60_000);
status.unref();

let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"] as const)
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    console.log(`[agent] ${sig}: stopping (buffered polls stay on disk for the next start)`);
    void stopCollector()
      .then(() => closeDb())
      .finally(() => process.exit(0));
  });
