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

/** Every `every`-th reachable poll's Docker latency in [from, to]: a bounded sample. */
export async function latencySamples(
  db: Db,
  host: string,
  from: Date,
  to: Date,
  every: number,
): Promise<number[]> {
  const rows = isPg(db)
    ? await db.$queryRawUnsafe<{ l: number }[]>(
        `SELECT "dockerLatencyMs" AS l FROM "Poll" WHERE "host" = $1 AND "polledAt" >= $2::timestamp AND "polledAt" <= $3::timestamp AND "dockerReachable" AND "dockerLatencyMs" IS NOT NULL AND "id" % $4::int = 0`,
        host,
        pgDate(from),
        pgDate(to),
        every,
      )
    : await db.$queryRawUnsafe<{ l: number }[]>(
        `SELECT "dockerLatencyMs" AS l FROM "Poll" WHERE "host" = ? AND "polledAt" >= ? AND "polledAt" <= ? AND "dockerReachable" = 1 AND "dockerLatencyMs" IS NOT NULL AND "id" % ? = 0`,
        host,
        sqlDate(from),
        sqlDate(to),
        every,
      );
  return rows.map((r) => Number(r.l));
}

/**
 * Time in [from, to] covered by one host's stored polls (CONTRACT 6f): the sum of the gaps
 * between consecutive polls at most 3 poll intervals apart, taking the larger of the two
 * polls' intervals (a switch from 10-minute backfill steps to live polls is not a hole).
 */
export async function coveredMs(db: Db, host: string, from: Date, to: Date): Promise<number> {
  const rows = isPg(db)
    ? await db.$queryRawUnsafe<{ covered: number | null }[]>(
        `SELECT sum(CASE WHEN gap <= 3 * iv THEN gap ELSE 0 END)::float8 AS covered FROM (
           SELECT EXTRACT(EPOCH FROM ("polledAt" - lag("polledAt") OVER w)) * 1000 AS gap,
                  GREATEST("intervalMs", coalesce(lag("intervalMs") OVER w, 0)) AS iv
             FROM "Poll" WHERE "host" = $1 AND "polledAt" >= $2::timestamp AND "polledAt" <= $3::timestamp WINDOW w AS (ORDER BY "polledAt")) g`,
        host,
        pgDate(from),
        pgDate(to),
      )
    : await db.$queryRawUnsafe<{ covered: number | bigint | null }[]>(
        `SELECT sum(CASE WHEN gap <= 3 * iv THEN gap ELSE 0 END) AS covered FROM (
           SELECT (julianday("polledAt") - julianday(lag("polledAt") OVER w)) * 86400000 AS gap,
                  max("intervalMs", coalesce(lag("intervalMs") OVER w, 0)) AS iv
             FROM "Poll" WHERE "host" = ? AND "polledAt" >= ? AND "polledAt" <= ? WINDOW w AS (ORDER BY "polledAt"))`,
        host,
        sqlDate(from),
        sqlDate(to),
      );
  return Math.round(Number(rows[0]?.covered ?? 0));
}

type N = number | bigint;

/** Read-path events in [from, to) grouped into buckets of `step` ms counted from `start`. */
export function readBuckets(db: Db, hosts: string[], start: Date, step: number, from: Date, to: Date) {
  if (isPg(db))
    return db.$queryRawUnsafe<{ b: N; n: N; fb: N; no: N; ok: N }[]>(
      `SELECT floor(EXTRACT(EPOCH FROM ("at" - $1::timestamp)) * 1000 / $2::float8)::int AS b, count(*)::int AS n,
              sum(CASE WHEN "servedBy" = 'fallback' THEN 1 ELSE 0 END)::int AS fb,
              sum(CASE WHEN "servedBy" = 'none' THEN 1 ELSE 0 END)::int AS no, sum(CASE WHEN "dockerOk" THEN 1 ELSE 0 END)::int AS ok
         FROM "ReadEvent" WHERE "host" = ANY($5::text[]) AND "at" >= $3::timestamp AND "at" < $4::timestamp GROUP BY b`,
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
       FROM "ReadEvent" WHERE "host" IN (SELECT value FROM json_each(?)) AND "at" >= ? AND "at" < ? GROUP BY b`,
    start.toISOString(),
    step,
    JSON.stringify(hosts),
    sqlDate(from),
    sqlDate(to),
  );
}

/** One host's polls in [from, to) by bucket: Docker latency (every `every`-th poll) and unreachable polls. */
export function pollBuckets(
  db: Db,
  host: string,
  start: Date,
  step: number,
  from: Date,
  to: Date,
  every: number,
) {
  if (isPg(db))
    return db.$queryRawUnsafe<{ b: N; lat: number | null; polls: N; down: N }[]>(
      `SELECT floor(EXTRACT(EPOCH FROM ("polledAt" - $1::timestamp)) * 1000 / $2::float8)::int AS b, avg("dockerLatencyMs")::float8 AS lat, count(*)::int AS polls,
              sum(CASE WHEN "dockerReachable" THEN 0 ELSE 1 END)::int AS down
         FROM "Poll" WHERE "host" = $3 AND "polledAt" >= $4::timestamp AND "polledAt" < $5::timestamp AND (NOT "dockerReachable" OR "id" % $6::int = 0) GROUP BY b`,
      pgDate(start),
      step,
      host,
      pgDate(from),
      pgDate(to),
      every,
    );
  return db.$queryRawUnsafe<{ b: N; lat: number | null; polls: N; down: N }[]>(
    `SELECT CAST((julianday("polledAt") - julianday(?)) * 86400000 / ? AS INTEGER) AS b, avg("dockerLatencyMs") AS lat, count(*) AS polls,
            sum(CASE WHEN "dockerReachable" THEN 0 ELSE 1 END) AS down
       FROM "Poll" WHERE "host" = ? AND "polledAt" >= ? AND "polledAt" < ? AND ("dockerReachable" = 0 OR "id" % ? = 0) GROUP BY b`,
    start.toISOString(),
    step,
    host,
    sqlDate(from),
    sqlDate(to),
    every,
  );
}

/** The stored row exactly as Prisma's model has it (one schema source). */
export type StoredPollRow = Poll;

const POLL_COLUMNS = `"host", "id", "polledAt", "dockerReachable", "dockerLatencyMs", "dockerError", "durationMs", "intervalMs", "checks", "diverged", "projects", "kindCounts", "seq", "cumChecks", "cumDiverged", "divergedAck", "cumDivergedAck", "cumKinds", "simulated"`;

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
    isPg(db) ? d.simulated : d.simulated ? 1 : 0,
  ];
  const conflict = ifNew ? ` ON CONFLICT ("host", "id") DO NOTHING` : "";
  if (isPg(db))
    return db.$executeRawUnsafe(
      `INSERT INTO "Poll" (${POLL_COLUMNS}) VALUES ($1, $2, $3::timestamp, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)${conflict}`,
      ...values,
    );
  return db.$executeRawUnsafe(
    `INSERT INTO "Poll" (${POLL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)${conflict}`,
    ...values,
  );
}
