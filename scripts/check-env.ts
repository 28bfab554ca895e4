// Fails fast with a message naming each bad variable (run by npm start before anything else).
import { ConfigError, parseEnv } from "../lib/env";

try {
  const cfg = parseEnv();
  console.log(`[start] Docker ${cfg.dockerHost}, registry ${cfg.registryPath}, database ${cfg.databaseUrl}, poll every ${cfg.pollIntervalMs} ms`);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
