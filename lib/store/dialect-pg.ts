// PostgreSQL only (issue 26): "Poll" is partitioned by UTC day (migration 20261201230000), old
// polls are rolled up, and the figures read the running totals of every host and bound in one
// statement (LATERAL lookups). Part of the dialect module: raw SQL lives here and in dialect.ts.
import type { Db } from "../db";

type Raw = Pick<Db, "$executeRawUnsafe" | "$queryRawUnsafe" | "dialect">;

const DAY = 86_400_000;
/** Prisma's DateTime is `timestamp(3)` holding UTC; the literal carries no zone. */
const pgDate = (d: Date) => d.toISOString().replace("Z", "");
const dayFloor = (t: number) => Math.floor(t / DAY) * DAY;
const partitionName = (day: number) => `Poll_${new Date(day).toISOString().slice(0, 10).replaceAll("-", "")}`;
/** A timestamp column read raw: a Date, or text without a zone that means UTC. */
const asDate = (v: unknown): Date =>
  v instanceof Date ? v : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(String(v)) ? String(v) : `${String(v)}Z`);

/** Polls older than this keep the first and last poll of each minute per host. */
export const ROLLUP_MINUTE_AFTER_MS = 7 * DAY;
/** Polls older than this keep the first and last poll of each hour per host. */
export const ROLLUP_HOUR_AFTER_MS = 30 * DAY;

/** The day partitions of "Poll" (not the default one), oldest first, with their first day. */
export async function pollPartitions(db: Raw): Promise<{ name: string; day: Date }[]> {
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = '"Poll"'::regclass AND c.relname ~ '^Poll_[0-9]{8}$' ORDER BY c.relname`,
  );
  return rows.map((r) => {
    const d = r.name.slice(5);
    return { name: r.name, day: new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T00:00:00Z`) };
  });
}

/**
 * Every day of polls in the default partition (the stored polls after the upgrade, a backfill
 * by an agent of a day with no partition) moved into a partition of its own, one transaction a
 * day, then today's partition and the next `ahead` days' made before their polls arrive.
 */
export async function ensurePollPartitions(db: Db, now: Date, ahead = 2): Promise<string[]> {
  const made: string[] = [];
  const stranded = await db.$queryRawUnsafe<{ d: unknown }[]>(
    `SELECT DISTINCT date_trunc('day', "polledAt") AS d FROM "Poll_default" ORDER BY d`,
  );
  for (const r of stranded) {
    const day = asDate(r.d).getTime();
    const name = partitionName(day);
    const [lo, hi] = [pgDate(new Date(day)), pgDate(new Date(day + DAY))];
    await db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`CREATE TABLE "${name}" (LIKE "Poll" INCLUDING DEFAULTS)`);
        await tx.$executeRawUnsafe(
          `WITH moved AS (DELETE FROM "Poll_default" WHERE "polledAt" >= '${lo}' AND "polledAt" < '${hi}' RETURNING *)
           INSERT INTO "${name}" SELECT * FROM moved`,
        );
        await tx.$executeRawUnsafe(
          `ALTER TABLE "Poll" ATTACH PARTITION "${name}" FOR VALUES FROM ('${lo}') TO ('${hi}')`,
        );
      },
      { timeout: 600_000, maxWait: 60_000 },
    );
    made.push(name);
  }
  const have = new Set((await pollPartitions(db)).map((p) => p.name));
  for (let k = 0; k <= ahead; k++) {
    const day = dayFloor(now.getTime()) + k * DAY;
    const name = partitionName(day);
    if (have.has(name)) continue;
    await db.$executeRawUnsafe(
      `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "Poll" FOR VALUES FROM ('${pgDate(new Date(day))}') TO ('${pgDate(new Date(day + DAY))}')`,
    );
    made.push(name);
  }
  return made;
}

/**
 * Retention of polls: every day partition that ends at or before `before` is dropped whole (no
 * DELETE, no vacuum debt); polls before it in the default partition are deleted. Returns rows gone.
 */
export async function dropPollsBefore(db: Raw, before: Date): Promise<{ polls: number; dropped: string[] }> {
  let polls = 0;
  const dropped: string[] = [];
  for (const p of await pollPartitions(db)) {
    if (p.day.getTime() + DAY > before.getTime()) break;
    const [row] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${p.name}"`);
    await db.$executeRawUnsafe(`DROP TABLE "${p.name}"`);
    polls += Number(row?.n ?? 0);
    dropped.push(p.name);
  }
  polls += await db.$executeRawUnsafe(`DELETE FROM "Poll" WHERE "polledAt" < $1::timestamp`, pgDate(before));
  return { polls, dropped };
}

/**
 * Rolls up polls of [lo, hi) (bounds on the grain): of each host's polls in a minute (or hour)
 * only the first and the last are kept. The running totals make the rest redundant: a window or
 * series bound on the grain finds the same rows at its ends (the last poll before, the first
 * and the last inside), so its figures are unchanged. Returns rows deleted.
 */
async function rollUpRange(db: Raw, grain: "minute" | "hour", lo: Date, hi: Date): Promise<number> {
  return db.$executeRawUnsafe(
    `DELETE FROM "Poll" p USING (
       SELECT "host", "id", "polledAt",
              row_number() OVER (PARTITION BY "host", date_trunc($3::text, "polledAt") ORDER BY "polledAt", "id") AS rn,
              count(*) OVER (PARTITION BY "host", date_trunc($3::text, "polledAt")) AS n
         FROM "Poll" WHERE "polledAt" >= $1::timestamp AND "polledAt" < $2::timestamp) x
      WHERE x.rn > 1 AND x.rn < x.n AND p."host" = x."host" AND p."id" = x."id" AND p."polledAt" = x."polledAt"
        AND p."polledAt" >= $1::timestamp AND p."polledAt" < $2::timestamp`,
    pgDate(lo),
    pgDate(hi),
    grain,
  );
}

/**
 * Roll-ups due at `now`: past 7 days a minute's first and last poll per host, past 30 days an
 * hour's. Each grain continues from where it stopped ("PollRollup"), a day per statement.
 */
export async function rollUpPolls(db: Raw, now: Date): Promise<{ minute: number; hour: number }> {
  const out = { minute: 0, hour: 0 };
  for (const [grain, after, step] of [
    ["minute", ROLLUP_MINUTE_AFTER_MS, 60_000],
    ["hour", ROLLUP_HOUR_AFTER_MS, 3_600_000],
  ] as const) {
    const hi = Math.floor((now.getTime() - after) / step) * step;
    const [mark] = await db.$queryRawUnsafe<{ doneTo: unknown }[]>(
      `SELECT "doneTo" FROM "PollRollup" WHERE "grain" = $1`,
      grain,
    );
    let lo: number;
    if (mark) lo = asDate(mark.doneTo).getTime();
    else {
      const [first] = await db.$queryRawUnsafe<{ t: unknown }[]>(`SELECT min("polledAt") AS t FROM "Poll"`);
      if (first?.t === null || first?.t === undefined) continue;
      lo = Math.floor(asDate(first.t).getTime() / step) * step;
    }
    for (; lo < hi;) {
      const to = Math.min(hi, lo + DAY);
      out[grain] += await rollUpRange(db, grain, new Date(lo), new Date(to));
      await db.$executeRawUnsafe(
        `INSERT INTO "PollRollup" ("grain", "doneTo") VALUES ($1, $2::timestamp)
         ON CONFLICT ("grain") DO UPDATE SET "doneTo" = EXCLUDED."doneTo"`,
        grain,
        pgDate(new Date(to)),
      );
      lo = to;
    }
  }
  return out;
}

export type CumRow = {
  id: number;
  seq: number;
  cumChecks: number;
  cumDiverged: number;
  cumLatencyMs: number;
  cumKinds: string;
};

/**
 * The last poll at or before each bound, for each host: one statement (bounds x hosts LATERAL
 * key lookups). Rows by bound index (0-based); a host with no poll by then is absent.
 */
export async function cumAtBounds(db: Raw, hosts: readonly string[], bounds: readonly Date[]) {
  const rows = await db.$queryRawUnsafe<(CumRow & { i: number })[]>(
    `SELECT (b.i - 1)::int AS i, p.* FROM unnest($1::timestamp[]) WITH ORDINALITY AS b(t, i)
       CROSS JOIN unnest($2::text[]) AS h(host)
       CROSS JOIN LATERAL (SELECT q."id", q."seq", q."cumChecks", q."cumDiverged", q."cumLatencyMs", q."cumKinds"
                             FROM "Poll" q WHERE q."host" = h.host AND q."polledAt" <= b.t
                            ORDER BY q."polledAt" DESC, q."id" DESC LIMIT 1) p`,
    bounds.map(pgDate),
    [...hosts],
  );
  return rows.map((r) => ({ ...r, i: Number(r.i), cumLatencyMs: Number(r.cumLatencyMs) }));
}

/** The columns of a poll a window's figures need (lib/store/window-figures.ts). */
export const END_FIELDS = [
  "id",
  "seq",
  "cumChecks",
  "cumDiverged",
  "cumDivergedAck",
  "divergedAck",
  "cumKinds",
  "polledAt",
  "checks",
  "diverged",
  "kindCounts",
  "dockerReachable",
  "cumCoveredMs",
  "cumLatencyMs",
  "dockerLatencyMs",
] as const;
export type EndRow = {
  id: number;
  seq: number;
  cumChecks: number;
  cumDiverged: number;
  cumDivergedAck: number;
  divergedAck: number;
  cumKinds: string;
  polledAt: Date;
  checks: number;
  diverged: number;
  kindCounts: string;
  dockerReachable: boolean;
  cumCoveredMs: number;
  cumLatencyMs: number;
  dockerLatencyMs: number | null;
};

function endOf(r: Record<string, unknown>, prefix: string): EndRow | null {
  if (r[`${prefix}id`] === null || r[`${prefix}id`] === undefined) return null;
  const v = (f: (typeof END_FIELDS)[number]) => r[`${prefix}${f}`];
  const lat = v("dockerLatencyMs");
  return {
    id: Number(v("id")),
    seq: Number(v("seq")),
    cumChecks: Number(v("cumChecks")),
    cumDiverged: Number(v("cumDiverged")),
    cumDivergedAck: Number(v("cumDivergedAck")),
    divergedAck: Number(v("divergedAck")),
    cumKinds: String(v("cumKinds")),
    polledAt: asDate(v("polledAt")),
    checks: Number(v("checks")),
    diverged: Number(v("diverged")),
    kindCounts: String(v("kindCounts")),
    dockerReachable: Boolean(v("dockerReachable")),
    cumCoveredMs: Number(v("cumCoveredMs")),
    cumLatencyMs: Number(v("cumLatencyMs")),
    dockerLatencyMs: lat === null || lat === undefined ? null : Number(lat),
  };
}

/**
 * Each host's three ends of [from, to]: the last poll before it, the first and the last inside.
 * One statement for every host (three LATERAL key lookups each); hosts with no poll inside are absent.
 */
export async function windowEndsByHost(db: Raw, hosts: readonly string[], from: Date, to: Date) {
  const cols = (a: string) => END_FIELDS.map((f) => `${a}."${f}" AS "${a}_${f}"`).join(", ");
  const pick = END_FIELDS.map((f) => `q."${f}"`).join(", ");
  const lookup = (where: string, order: string) =>
    `(SELECT ${pick} FROM "Poll" q WHERE q."host" = h.host AND ${where} ORDER BY q."polledAt" ${order}, q."id" ${order} LIMIT 1)`;
  const inside = `q."polledAt" >= $2::timestamp AND q."polledAt" <= $3::timestamp`;
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT h.host AS host, ${cols("f")}, ${cols("l")}, ${cols("b")}
       FROM unnest($1::text[]) AS h(host)
       CROSS JOIN LATERAL ${lookup(inside, "ASC")} f
       CROSS JOIN LATERAL ${lookup(inside, "DESC")} l
       LEFT JOIN LATERAL ${lookup(`q."polledAt" < $2::timestamp`, "DESC")} b ON true`,
    [...hosts],
    pgDate(from),
    pgDate(to),
  );
  const out = new Map<string, { before: EndRow | null; first: EndRow; last: EndRow }>();
  for (const r of rows) {
    const first = endOf(r, "f_");
    const last = endOf(r, "l_");
    if (first && last) out.set(String(r.host), { before: endOf(r, "b_"), first, last });
  }
  return out;
}
