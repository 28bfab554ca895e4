// The one database client: Prisma 7 over better-sqlite3 (a file: URL, the embedded default) or
// node-postgres (a postgresql:// URL, the team server of issue 14). Cached on globalThis
// because Next evaluates server modules more than once (instrumentation and route bundles).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { PrismaClient as PgPrismaClient } from "./generated/prisma-pg/client";
import { env, isPostgresUrl, sqlitePath } from "./env";

export type Dialect = "sqlite" | "postgresql";

/**
 * Both clients are generated from the one schema source (scripts/schema-source.mjs), so their
 * model APIs are the same; the SQLite client's type stands for both. `dialect` is read from the
 * URL here; an interactive transaction's client reads it through to its client (Prisma proxies it).
 */
export type Db = InstanceType<typeof PrismaClient> & { readonly dialect: Dialect };
/** An interactive transaction's client. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0] & { readonly dialect: Dialect };

const g = globalThis as typeof globalThis & { __l9Db?: Map<string, Db> };

/** How long one SQLite statement waits for a lock held elsewhere (blocking the process). */
export const SQLITE_BUSY_TIMEOUT_MS = 500;

/** A client for a database URL (the configured DATABASE_URL by default). */
export function getDb(databaseUrl: string = env().databaseUrl): Db {
  g.__l9Db ??= new Map();
  const existing = g.__l9Db.get(databaseUrl);
  if (existing) return existing;
  const dialect: Dialect = isPostgresUrl(databaseUrl) ? "postgresql" : "sqlite";
  const client =
    dialect === "postgresql"
      ? (new PgPrismaClient({
          adapter: new PrismaPg({ connectionString: databaseUrl, max: 20 }),
        }) as unknown as InstanceType<typeof PrismaClient>)
      : // busy timeout: better-sqlite3 waits for another writer synchronously, holding the event
        // loop (and health) meanwhile, so it is short; the collector retries a busy poll write
        // asynchronously instead. WAL mode is set on the file by the migration step and persists.
        new PrismaClient({
          adapter: new PrismaBetterSqlite3({
            url: `file:${sqlitePath(databaseUrl)}`,
            timeout: SQLITE_BUSY_TIMEOUT_MS,
          }),
        });
  const db = Object.defineProperty(client, "dialect", { value: dialect, enumerable: false }) as Db;
  // Per connection, queued before any query (the one statement outside lib/store/dialect.ts).
  if (dialect === "sqlite") void db.$queryRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => undefined);
  g.__l9Db.set(databaseUrl, db);
  return db;
}

/** Runs `fn` in one interactive transaction; its client knows the dialect as the root does. */
export function inTransaction<T>(
  db: Db,
  fn: (tx: Tx) => Promise<T>,
  options?: { timeout?: number; maxWait?: number },
): Promise<T> {
  // The transaction client is Prisma's proxy over `db`: it reads `dialect` through (checked).
  return db.$transaction((tx) => fn(tx as Tx), options);
}

export async function closeDb(databaseUrl: string = env().databaseUrl): Promise<void> {
  const client = g.__l9Db?.get(databaseUrl);
  if (!client) return;
  g.__l9Db?.delete(databaseUrl);
  await client.$disconnect();
}
