// The one schema source and its PostgreSQL twin. prisma/schema.prisma (SQLite) is edited by
// hand; prisma/postgres/schema.prisma is derived from it by postgresSchemaText and never edited
// (a unit test checks they agree). Each has its own migrations folder beside it.
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const schemaPath = path.join(root, "prisma", "schema.prisma");
export const migrationsDir = path.join(root, "prisma", "migrations");
export const postgresSchemaPath = path.join(root, "prisma", "postgres", "schema.prisma");
export const postgresMigrationsDir = path.join(root, "prisma", "postgres", "migrations");

const HEADER =
  "// GENERATED from prisma/schema.prisma by scripts/prisma-generate.mjs (npm install runs it).\n" +
  "// Do not edit: change prisma/schema.prisma, then `npm run migration:create -- <name>`.\n";

/** The PostgreSQL schema: the same models, another provider and client folder. */
export function postgresSchemaText(sqliteText) {
  const out = sqliteText
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output\s*=\s*"\.\.\/lib\/generated\/prisma"/, 'output       = "../../lib/generated/prisma-pg"');
  if (out === sqliteText || !out.includes('"postgresql"') || !out.includes("prisma-pg"))
    throw new Error("prisma/schema.prisma: provider or output line not found");
  return HEADER + out;
}

/** Which database a DATABASE_URL names. */
export const providerOf = (url) => (/^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite");
