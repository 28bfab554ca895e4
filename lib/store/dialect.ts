// Every SQL statement that is not Prisma's query API, for both databases, in this one module:
// SQLite (julianday, 1/0 booleans, ISO text dates, `?` placeholders, PRAGMA) and PostgreSQL
// (EXTRACT(EPOCH ...), timestamps, `$n` placeholders). The rest of lib/store speaks Prisma's
// query API, which both understand; the linter refuses raw SQL anywhere else.
import type { Db } from "../db";
import type { Poll } from "../generated/prisma/client";

export type Provider = "sqlite" | "postgresql";
// On globalThis: Next evaluates this module once per bundle (instrumentation, each route),
// while the client itself is shared (lib/db.ts); a module-level map would forget it.
const g = globalThis as typeof globalThis & { __l9Providers?: WeakMap<object, Provider> };
const providers = (g.__l9Providers ??= new WeakMap<object, Provider>());

/** getDb records which database a client speaks to. */
export function rememberProvider(db: Raw, provider: Provider): void {
  providers.set(db, provider);
}

/** The database behind a client (a transaction client inherits nothing: pass the root). */
export const providerOf = (db: object): Provider => providers.get(db) ?? "sqlite";
const isPg = (db: object) => providerOf(db) === "postgresql";

/** A client or an interactive transaction's client (mark the latter with `rememberProvider`). */
type Raw = Pick<Db, "$executeRawUnsafe" | "$queryRawUnsafe">;

/** Prisma's SQLite adapter stores DateTime as ISO-8601 text with an explicit offset. */
export const sqlDate = (d: Date) => d.toISOString().replace("Z", "+00:00");
/** PostgreSQL: Prisma's DateTime is `timestamp(3)` holding UTC; the literal carries no zone. */
const pgDate = (d: Date) => d.toISOString().replace("Z", "");

/** A round trip to the database (health checks). */
export async function ping(db: Db): Promise<void> {
  await db.$queryRawUnsafe("SELECT 1");
}

/** Per-connection settings, queued before any query. */
export function configureConnection(db: Db): void {
  if (isPg(db)) return;
  void db.$queryRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => undefined);
}

/** The Docker latency of one host's reachable polls among `ids` (a sample by key lookups). */
export async function latencyAtIds(db: Db, host: string, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = isPg(db)
    ? await db.$queryRawUnsafe<{ l: number }[]>(
        `SELECT "dockerLatencyMs" AS l FROM "Poll" WHERE "host" = $1 AND "id" = ANY($2::int[]) AND "dockerReachable" AND "dockerLatencyMs" IS NOT NULL`,
        host,
        [...ids],
      )
    : await db.$queryRawUnsafe<{ l: number }[]>(
        `SELECT "dockerLatencyMs" AS l FROM "Poll" WHERE "host" = ? AND "id" IN (SELECT value FROM json_each(?)) AND "dockerReachable" = 1 AND "dockerLatencyMs" IS NOT NULL`,
        host,
        JSON.stringify(ids),
      );
  return rows.map((r) => Number(r.l));
}

type N = number | bigint;

/** Read-path events in [from, to) grouped into buckets of `step` ms counted from `start`; cache reads are in neither rate (CONTRACT 7g). */
export function readBuckets(db: Db, hosts: string[], start: Date, step: number, from: Date, to: Date) {
  if (isPg(db))
    return db.$queryRawUnsafe<{ b: N; n: N; fb: N; no: N; ok: N }[]>(
      `SELECT floor(EXTRACT(EPOCH FROM ("at" - $1::timestamp)) * 1000 / $2::float8)::int AS b, count(*)::int AS n,
              sum(CASE WHEN "servedBy" = 'fallback' THEN 1 ELSE 0 END)::int AS fb,
              sum(CASE WHEN "servedBy" = 'none' THEN 1 ELSE 0 END)::int AS no, sum(CASE WHEN "dockerOk" THEN 1 ELSE 0 END)::int AS ok
         FROM "ReadEvent" WHERE "host" = ANY($5::text[]) AND "at" >= $3::timestamp AND "at" < $4::timestamp AND "servedBy" <> 'cache' GROUP BY b`,
      pgDate(start),
      step,
      pgDate(from),
      pgDate(to),
      hosts,
    );
  return db.$queryRawUnsafe<{ b: N; n: N; fb: N; no: N; ok: N }[]>(
    `SELECT CAST((julianday("at") - julianday(?)) * 86400000 / ? AS INTEGER) AS b, count(*) AS n,
            sum(CASE WHEN "servedBy" = 'fallback' THEN 1 ELSE 0 END) AS fb,
            sum(CASE WHEN "servedBy" = 'none' THEN 1 ELSE 0 END) AS no, sum(CASE WHEN "dockerOk" THEN 1 ELSE 0 END) AS ok
       FROM "ReadEvent" WHERE "host" IN (SELECT value FROM json_each(?)) AND "at" >= ? AND "at" < ? AND "servedBy" <> 'cache' GROUP BY b`,
    start.toISOString(),
    step,
    JSON.stringify(hosts),
    sqlDate(from),
    sqlDate(to),
  );
}

/** The stored row exactly as Prisma's model has it (one schema source). */
export type StoredPollRow = Poll;

const POLL_COLUMNS = `"host", "id", "polledAt", "dockerReachable", "dockerLatencyMs", "dockerError", "durationMs", "intervalMs", "checks", "diverged", "projects", "kindCounts", "seq", "cumChecks", "cumDiverged", "divergedAck", "cumDivergedAck", "cumKinds", "cumCoveredMs", "cumLatencyMs", "simulated"`;

/**
 * A poll's summary row, one statement. Raw SQL: a model query costs milliseconds in Prisma's
 * query compiler here, and this runs on every poll. `ifNew`: a row already stored under the
 * same (host, id) is kept and nothing is written (an agent's resend); returns rows written.
 */
export async function insertPollRow(db: Raw, d: StoredPollRow, ifNew = false): Promise<number> {
  const values = [
    d.host,
    d.id,
    isPg(db) ? pgDate(d.polledAt) : sqlDate(d.polledAt),
    isPg(db) ? d.dockerReachable : d.dockerReachable ? 1 : 0,
    d.dockerLatencyMs,
    d.dockerError,
    d.durationMs,
    d.intervalMs,
    d.checks,
    d.diverged,
    d.projects,
    d.kindCounts,
    d.seq,
    d.cumChecks,
    d.cumDiverged,
    d.divergedAck,
    d.cumDivergedAck,
    d.cumKinds,
    d.cumCoveredMs,
    d.cumLatencyMs,
    isPg(db) ? d.simulated : d.simulated ? 1 : 0,
  ];
  const conflict = ifNew ? ` ON CONFLICT ("host", "id") DO NOTHING` : "";
  if (isPg(db))
    return db.$executeRawUnsafe(
      `INSERT INTO "Poll" (${POLL_COLUMNS}) VALUES ($1, $2, $3::timestamp, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)${conflict}`,
      ...values,
    );
  return db.$executeRawUnsafe(
    `INSERT INTO "Poll" (${POLL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)${conflict}`,
    ...values,
  );
}
