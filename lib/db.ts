// The one database client: Prisma 7 over better-sqlite3. Cached on globalThis because Next
// evaluates server modules more than once (instrumentation bundle and route bundles).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client";
import { env, sqlitePath } from "./env";
import { configureConnection } from "./store/dialect";

export type Db = InstanceType<typeof PrismaClient>;

const g = globalThis as typeof globalThis & { __l9Db?: Map<string, Db> };

/** A client for a SQLite file URL (the configured DATABASE_URL by default). */
export function getDb(databaseUrl: string = env().databaseUrl): Db {
  g.__l9Db ??= new Map();
  const existing = g.__l9Db.get(databaseUrl);
  if (existing) return existing;
  // busy timeout: wait up to 5 s for a writer instead of failing with SQLITE_BUSY.
  // WAL mode is set on the file by the migration step and persists.
  const adapter = new PrismaBetterSqlite3({ url: `file:${sqlitePath(databaseUrl)}`, timeout: 5000 });
  const client = new PrismaClient({ adapter });
  // WAL with synchronous=NORMAL: a commit is still atomic and survives a crash of the app;
  // only an OS crash or power loss can lose the last commits (never half of one). It saves
  // an fsync per poll, which costs milliseconds on virtual disks. Queued before any query.
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
