// npm run migrate: apply pending migrations to DATABASE_URL (default file:./data/l9-state.db).
import { applyMigrations } from "./schema-engine.mjs";

const url = process.env.DATABASE_URL || "file:./data/l9-state.db";
if (!url.startsWith("file:")) {
  console.error(`DATABASE_URL must be a SQLite file: URL, got ${url}`);
  process.exit(2);
}
const applied = await applyMigrations(url);
console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "Database is up to date.");
