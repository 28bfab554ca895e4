// Every SQL statement that is not Prisma's query API, for both databases, in this one module:
// SQLite (julianday, 1/0 booleans, ISO text dates, `?` placeholders) and PostgreSQL
// (EXTRACT(EPOCH ...), timestamps, `$n` placeholders). The rest of lib/store speaks Prisma's
// query API, which both understand; the linter refuses raw SQL anywhere else.
import Database from "better-sqlite3";
import type { Db } from "../db";
import { isBusyError, type DbProbe } from "../core/db-health";
import type { PollSummary } from "../contracts/agent";
import { POLL_FIELDS, pollColumn } from "./poll-row";

const isPg = (db: Raw) => db.dialect === "postgresql";

/** A client or an interactive transaction's client: both know their dialect (lib/db.ts). */
type Raw = Pick<Db, "$executeRawUnsafe" | "$queryRawUnsafe" | "dialect">;

/** Prisma's SQLite adapter stores DateTime as ISO-8601 text with an explicit offset. */
export const sqlDate = (d: Date) => d.toISOString().replace("Z", "+00:00");
/** PostgreSQL: Prisma's DateTime is `timestamp(3)` holding UTC; the literal carries no zone. */
const pgDate = (d: Date) => d.toISOString().replace("Z", "");

/** A round trip to the database (health checks). */
export async function ping(db: Db): Promise<void> {
  await db.$queryRawUnsafe("SELECT 1");
}

/**
 * A database error as text that keeps the driver's own code and words: Prisma reports
 * SQLITE_BUSY as "Operation has timed out" (P1008) and keeps SQLite's in `meta`.
 */
export function dbErrorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const meta = (err as { meta?: { driverAdapterError?: { cause?: Record<string, unknown> } } }).meta;
  const cause = meta?.driverAdapterError?.cause;
  const last = err.message.trim().split("\n").at(-1) ?? "";
  const code = (err as { code?: unknown }).code;
  const driver = cause
    ? [cause.originalCode, cause.originalMessage].filter((x) => typeof x === "string")
    : [];
  return [last, typeof code === "string" ? code : null, ...driver].filter(Boolean).join(" ");
}

const gp = globalThis as typeof globalThis & { __l9Probes?: Map<string, Database.Database> };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Health's bounded look at the database, never longer than `boundMs`. SQLite: a connection
 * of its own that never waits (busy timeout 0) tries to take the write lock (BEGIN IMMEDIATE,
 * ROLLBACK at once), retrying between ticks so this process's own short transactions finish;
 * still busy at the bound is a lock held elsewhere. PostgreSQL: a round trip raced with a timer.
 */
export async function probeDatabase(db: Db, sqliteFile: string | null, boundMs: number): Promise<DbProbe> {
  const started = performance.now();
  const waited = () => Math.round(performance.now() - started);
  const timer = (): Promise<DbProbe> =>
    sleep(boundMs).then(() => ({ kind: "timeout", waitedMs: waited() }) as const);
  const asError = (err: unknown): DbProbe => ({ kind: "error", message: dbErrorText(err) });
  if (isPg(db) || sqliteFile === null) {
    const roundTrip = ping(db).then((): DbProbe => ({ kind: "ok", latencyMs: waited() }), asError);
    return Promise.race([roundTrip, timer()]);
  }
  gp.__l9Probes ??= new Map();
  let conn = gp.__l9Probes.get(sqliteFile);
  try {
    if (!conn) {
      conn = new Database(sqliteFile, { fileMustExist: true, timeout: 0 });
      gp.__l9Probes.set(sqliteFile, conn);
    }
  } catch (err) {
    return asError(err);
  }
  for (;;) {
    try {
      conn.exec("BEGIN IMMEDIATE");
      conn.exec("ROLLBACK");
      return { kind: "ok", latencyMs: waited() };
    } catch (err) {
      if (conn.inTransaction) conn.exec("ROLLBACK");
      const probe = asError(err);
      if (probe.kind !== "error" || !isBusyError(probe.message)) return probe;
      if (waited() + 100 > boundMs) return { kind: "busy", waitedMs: waited() };
      await sleep(100);
    }
  }
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

/**
 * A poll's summary row, one statement. Raw SQL: a model query costs milliseconds in Prisma's
 * query compiler here, and this runs on every poll. `ifNew`: a row already stored under the
 * same (host, id) is kept and nothing is written (an agent's resend); returns rows written.
 */
export async function insertPollRow(db: Raw, host: string, p: PollSummary, ifNew = false): Promise<number> {
  const pg = isPg(db);
  const cells = [host, ...POLL_FIELDS.map((f) => p[f])];
  const values = cells.map((v) =>
    v instanceof Date
      ? pg
        ? pgDate(v)
        : sqlDate(v)
      : typeof v === "boolean"
        ? pg
          ? v
          : Number(v)
        : v !== null && typeof v === "object"
          ? JSON.stringify(v)
          : v,
  );
  const marks = cells.map((v, i) => (pg ? `$${i + 1}${v instanceof Date ? "::timestamp" : ""}` : "?"));
  const columns = ["host", ...POLL_FIELDS.map(pollColumn)].map((c) => `"${c}"`).join(", ");
  // PostgreSQL's "Poll" is partitioned by day: its key holds "polledAt", so (host, id) is
  // looked up first (an index probe per day partition) for a resend stamped differently.
  if (pg && ifNew) {
    const sql = `SELECT 1 AS x FROM "Poll" WHERE "host" = $1 AND "id" = $2 LIMIT 1`;
    if ((await db.$queryRawUnsafe<unknown[]>(sql, host, p.id)).length > 0) return 0;
  }
  const conflict = ifNew ? ` ON CONFLICT ("host", "id"${pg ? `, "polledAt"` : ""}) DO NOTHING` : "";
  return db.$executeRawUnsafe(
    `INSERT INTO "Poll" (${columns}) VALUES (${marks.join(", ")})${conflict}`,
    ...values,
  );
}
