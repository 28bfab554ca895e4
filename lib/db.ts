// The one database client: Prisma 7 over better-sqlite3 (a file: URL, the embedded default) or
// node-postgres (a postgresql:// URL, the team server of issue 14). Cached on globalThis
// because Next evaluates server modules more than once (instrumentation and route bundles).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { PrismaClient as PgPrismaClient } from "./generated/prisma-pg/client";
import { env, isPostgresUrl, sqlitePath } from "./env";
import { configureConnection, rememberProvider } from "./store/dialect";

/**
 * Both clients are generated from the one schema source (scripts/schema-source.mjs), so their
 * model APIs are the same; the SQLite client's type stands for both. Statements that differ
 * between the two databases live in lib/store/dialect.ts, which asks which one it has.
 */
export type Db = InstanceType<typeof PrismaClient>;

const g = globalThis as typeof globalThis & { __l9Db?: Map<string, Db> };

/** How long one SQLite statement waits for a lock held elsewhere (blocking the process). */
export const SQLITE_BUSY_TIMEOUT_MS = 500;

/** A client for a database URL (the configured DATABASE_URL by default). */
export function getDb(databaseUrl: string = env().databaseUrl): Db {
  g.__l9Db ??= new Map();
  const existing = g.__l9Db.get(databaseUrl);
  if (existing) return existing;
  let client: Db;
  if (isPostgresUrl(databaseUrl)) {
    const adapter = new PrismaPg({ connectionString: databaseUrl, max: 20 });
    client = new PgPrismaClient({ adapter }) as unknown as Db;
    rememberProvider(client, "postgresql");
  } else {
    // busy timeout: better-sqlite3 waits for another writer synchronously, holding the event
    // loop (and health) meanwhile, so it is short; the collector retries a busy poll write
    // asynchronously instead. WAL mode is set on the file by the migration step and persists.
    const adapter = new PrismaBetterSqlite3({
      url: `file:${sqlitePath(databaseUrl)}`,
      timeout: SQLITE_BUSY_TIMEOUT_MS,
    });
    client = new PrismaClient({ adapter });
    rememberProvider(client, "sqlite");
  }
  configureConnection(client);
  g.__l9Db.set(databaseUrl, client);
  return client;
}

export async function closeDb(databaseUrl: string = env().databaseUrl): Promise<void> {
  const client = g.__l9Db?.get(databaseUrl);
  if (!client) return;
  g.__l9Db?.delete(databaseUrl);
  await client.$disconnect();
}
