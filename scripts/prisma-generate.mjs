// `prisma generate`, offline, for both databases. prisma/schema.prisma is the one schema
// source (SQLite, the embedded default); prisma/postgres/schema.prisma is written from it here
// (provider and output path changed, nothing else) and generates the PostgreSQL client.
// The CLI insists on locating its native schema engine even though generate never runs it;
// any existing file satisfies that check (TOOLCHAIN.md).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { postgresSchemaPath, postgresSchemaText, schemaPath } from "./schema-source.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ||= process.execPath;

const pgText = postgresSchemaText(fs.readFileSync(schemaPath, "utf8"));
fs.mkdirSync(path.dirname(postgresSchemaPath), { recursive: true });
if (!fs.existsSync(postgresSchemaPath) || fs.readFileSync(postgresSchemaPath, "utf8") !== pgText)
  fs.writeFileSync(postgresSchemaPath, pgText);

for (const schema of [schemaPath, postgresSchemaPath]) {
  const r = spawnSync(path.join(root, "node_modules", ".bin", "prisma"), ["generate", "--schema", schema], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
