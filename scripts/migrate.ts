// npm run migrate: apply pending migrations to DATABASE_URL (default file:./data/l9-state.db).
import { ConfigError, parseEnv } from "../lib/env";
import { applyMigrations } from "./schema-engine.mjs";

try {
  const applied = await applyMigrations(parseEnv().databaseUrl);
  console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "Database is up to date.");
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(2);
}
