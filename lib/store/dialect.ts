// Every SQL statement that only SQLite understands (julianday, 1/0 booleans, ISO text dates,
// `?` placeholders, PRAGMA), in this one module. The rest of lib/store speaks Prisma's query
// API, which both SQLite and PostgreSQL understand; a PostgreSQL server (issue 14) adds its
// twin of this module and nothing else.
import type { Db } from "../db";
import type { Poll } from "../generated/prisma/client";

/** Prisma's SQLite adapter stores DateTime as ISO-8601 text with an explicit offset. */
export const sqlDate = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** A round trip to the database (health checks). */
export async function ping(db: Db): Promise<void> {
  await db.$queryRawUnsafe("SELECT 1");
}

/** Per-connection settings, queued before any query. */
export function configureConnection(db: Db): void {
  void db.$queryRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => undefined);
}

/** Every `every`-th reachable poll's Docker latency in [from, to]: a bounded sample. */
export async function latencySamples(db: Db, from: Date, to: Date, every: number): Promise<number[]> {
  const rows = await db.$queryRawUnsafe<{ l: number }[]>(
    `SELECT "dockerLatencyMs" AS l FROM "Poll" WHERE "polledAt" >= ? AND "polledAt" <= ? AND "dockerReachable" = 1 AND "dockerLatencyMs" IS NOT NULL AND "id" % ? = 0`,
    sqlDate(from),
    sqlDate(to),
    every,
  );
  return rows.map((r) => Number(r.l));
}

/**
 * Time in [from, to] covered by stored polls (CONTRACT 6f): the sum of the gaps between
 * consecutive polls at most 3 poll intervals apart, taking the larger of the two polls'
 * intervals (a switch from 10-minute backfill steps to live polls is not a hole).
 */
export async function coveredMs(db: Db, from: Date, to: Date): Promise<number> {
  const rows = await db.$queryRawUnsafe<{ covered: number | bigint | null }[]>(
    `SELECT sum(CASE WHEN gap <= 3 * iv THEN gap ELSE 0 END) AS covered FROM (
       SELECT (julianday("polledAt") - julianday(lag("polledAt") OVER w)) * 86400000 AS gap,
              max("intervalMs", coalesce(lag("intervalMs") OVER w, 0)) AS iv
         FROM "Poll" WHERE "polledAt" >= ? AND "polledAt" <= ? WINDOW w AS (ORDER BY "polledAt"))`,
    sqlDate(from),
    sqlDate(to),
  );
  return Math.round(Number(rows[0]?.covered ?? 0));
}

type N = number | bigint;

/** Read-path events in [from, to) grouped into buckets of `step` ms counted from `start`. */
export function readBuckets(db: Db, start: Date, step: number, from: Date, to: Date) {
  return db.$queryRawUnsafe<{ b: N; n: N; fb: N; no: N; ok: N }[]>(
    `SELECT CAST((julianday("at") - julianday(?)) * 86400000 / ? AS INTEGER) AS b, count(*) AS n,
            sum(CASE WHEN "servedBy" = 'fallback' THEN 1 ELSE 0 END) AS fb,
            sum(CASE WHEN "servedBy" = 'none' THEN 1 ELSE 0 END) AS no, sum(CASE WHEN "dockerOk" THEN 1 ELSE 0 END) AS ok
       FROM "ReadEvent" WHERE "at" >= ? AND "at" < ? GROUP BY b`,
    start.toISOString(),
    step,
    sqlDate(from),
    sqlDate(to),
  );
}

/** Polls in [from, to) by bucket: Docker latency (every `every`-th poll) and unreachable polls. */
export function pollBuckets(db: Db, start: Date, step: number, from: Date, to: Date, every: number) {
  return db.$queryRawUnsafe<{ b: N; lat: number | null; polls: N; down: N }[]>(
    `SELECT CAST((julianday("polledAt") - julianday(?)) * 86400000 / ? AS INTEGER) AS b, avg("dockerLatencyMs") AS lat, count(*) AS polls,
            sum(CASE WHEN "dockerReachable" THEN 0 ELSE 1 END) AS down
       FROM "Poll" WHERE "polledAt" >= ? AND "polledAt" < ? AND ("dockerReachable" = 0 OR "id" % ? = 0) GROUP BY b`,
    start.toISOString(),
    step,
    sqlDate(from),
    sqlDate(to),
    every,
  );
}

/** The stored row exactly as Prisma's model has it (one schema source). */
export type StoredPollRow = Poll;

/**
 * A steady-state poll's summary row, one statement. Raw SQL: a model query costs milliseconds
 * in Prisma's query compiler here, and this runs on every poll.
 */
export async function insertPollRow(db: Db, d: StoredPollRow): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO "Poll" ("id", "polledAt", "dockerReachable", "dockerLatencyMs", "dockerError", "durationMs", "intervalMs", "checks", "diverged", "projects", "kindCounts", "seq", "cumChecks", "cumDiverged", "divergedAck", "cumDivergedAck", "cumKinds", "simulated") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    d.id,
    sqlDate(d.polledAt),
    d.dockerReachable ? 1 : 0,
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
    d.simulated ? 1 : 0,
  );
}
