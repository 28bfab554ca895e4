// Issue 26 on a real PostgreSQL (a private server of its own): an existing server's database
// (polls in the old unpartitioned table) is upgraded into day partitions with every row kept;
// roll-ups of old polls leave every window's and series' figures exactly as they were;
// retention drops whole day partitions; the coming days' partitions are made ahead.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startPrivatePostgres, type PrivatePostgres } from "../../lib/dev/private-postgres";
import { applyMigrations } from "../../scripts/schema-engine.mjs";
import { getDb, type Db } from "../../lib/db";
import { getWindowFigures, getWindowFiguresByHost } from "../../lib/store/window-figures";
import { getSeries } from "../../lib/store/series";
import { pruneHistory } from "../../lib/store/polls";
import { ensurePollPartitions, pollPartitions, rollUpPolls } from "../../lib/store/dialect-pg";
import { insertPollRow } from "../../lib/store/dialect";
import type { PollSummary } from "../../lib/contracts/agent";

const H = 3_600_000;
const D = 24 * H;
// An hour boundary: windows and series bounds below are on the roll-ups' grains.
const NOW = Math.floor(Date.now() / H) * H;
const HOSTS = ["ana", "bo"] as const;

let server: PrivatePostgres;
let db: Db;

/**
 * Polls every 10 s for each host over [from, to), in SQL: every 17th unreachable, every 101st
 * dropped by the agent (its id skipped, its share still in the totals, as the agent sends them).
 */
async function seed(hostId: number, host: string, from: number, to: number, firstId: number) {
  const iso = (t: number) => new Date(t).toISOString().replace("Z", "");
  await db.$executeRawUnsafe(
    `INSERT INTO "Poll" ("host","id","polledAt","dockerReachable","dockerLatencyMs","durationMs","intervalMs","checks","diverged","projects","kindCounts","seq","cumChecks","cumDiverged","divergedAck","cumDivergedAck","cumKinds","cumCoveredMs","cumLatencyMs")
     SELECT $1, id, t, r, lat, 1, 10000, c, dv, 5, '{"port_mismatch":' || dv || '}',
            sum(r::int) OVER w, sum(c) OVER w, sum(dv) OVER w, ack, sum(ack) OVER w,
            '{"port_mismatch":' || sum(dv) OVER w || '}',
            coalesce(sum(CASE WHEN gap <= 30000 THEN gap ELSE 0 END) OVER w, 0), sum(coalesce(lat, 0)) OVER w
       FROM (SELECT id, t, r, lat, c, dv, CASE WHEN dv > 0 AND id % 7 = 0 THEN 1 ELSE 0 END AS ack,
                    EXTRACT(EPOCH FROM (t - lag(t) OVER (ORDER BY id))) * 1000 AS gap
               FROM (SELECT $4 + k AS id, $2::timestamp + k * interval '10 seconds' AS t,
                            (k + $5) % 17 <> 0 AS r,
                            CASE WHEN (k + $5) % 17 <> 0 THEN 1 + (k % 13) ELSE NULL END::float8 AS lat,
                            CASE WHEN (k + $5) % 17 <> 0 THEN 10 ELSE 0 END AS c,
                            CASE WHEN (k + $5) % 17 = 0 THEN 0 WHEN k % 5 = 0 THEN 2 WHEN k % 3 = 0 THEN 1 ELSE 0 END AS dv
                       FROM generate_series(0, (EXTRACT(EPOCH FROM ($3::timestamp - $2::timestamp)) / 10)::int - 1) AS k) s) g
     WINDOW w AS (ORDER BY id)`,
    host,
    iso(from),
    iso(to),
    firstId,
    hostId,
  );
  await db.$executeRawUnsafe(`DELETE FROM "Poll" WHERE "host" = $1 AND "id" % 101 = 0`, host);
}

// Windows on hour (past 30 days) and minute (7 to 30 days) bounds, across every roll-up edge.
const WINDOWS: [number, number][] = [
  [NOW - 32 * D, NOW - 31 * D],
  [NOW - 30 * D - 5 * H, NOW - 29 * D - 7 * H],
  [NOW - 31 * D, NOW],
  [NOW - 8 * D - 17 * 60_000, NOW - 8 * D + 43 * 60_000],
  [NOW - 7 * D - H, NOW - 6 * D],
  [NOW - 7 * D, NOW - 7 * D + 3 * H],
  [NOW - 28 * D, NOW],
];
const SERIES: [number, number][] = [
  [NOW - 30 * D, NOW],
  [NOW - 35 * D, NOW],
  [NOW - 7 * D, NOW],
  [NOW - 8 * D, NOW - 7 * D],
];

async function figures() {
  const out: unknown[] = [];
  for (const [a, b] of WINDOWS) {
    const from = new Date(a);
    const to = new Date(b);
    out.push(Object.fromEntries(await getWindowFiguresByHost(db, from, to, HOSTS)));
    out.push(await getWindowFigures(db, from, to, HOSTS));
    out.push(await getWindowFigures(db, from, to, ["bo"]));
  }
  for (const [a, b] of SERIES) {
    out.push(await getSeries(db, new Date(a), new Date(b), 120, HOSTS));
    out.push(await getSeries(db, new Date(a), new Date(b), 120, ["ana"]));
  }
  return out;
}

const count = async (sql: string) => Number((await db.$queryRawUnsafe<{ n: number }[]>(sql))[0]!.n);

beforeAll(async () => {
  server = await startPrivatePostgres();
  const url = await server.createDatabase("upgrade");
  // The release before partitions: "Poll" is one table.
  await applyMigrations(url, { upTo: "20261201201013_adr_branch_state" });
  db = getDb(url);
  for (const [i, host] of HOSTS.entries()) {
    await seed(i, host, NOW - 33 * D, NOW - 29 * D, 1);
    await seed(i, host, NOW - 9 * D + 3000, NOW - 6 * D, 40_000);
  }
}, 180_000);

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

describe("Poll partitioned by day on PostgreSQL (issue 26)", () => {
  let before: unknown[] = [];
  let rows = 0;

  test("the upgrade of an existing database moves every poll into day partitions, figures unchanged", async () => {
    rows = await count(`SELECT count(*)::int AS n FROM "Poll"`);
    expect(
      await count(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = '"Poll"'::regclass`),
    ).toBe(0);
    before = await figures();
    expect(rows).toBeGreaterThan(100_000);
    // The one-statement LATERAL figures equal the key lookups per host that SQLite runs.
    const perLookup = new Proxy({} as Db, {
      get: (_, k) => (k === "dialect" ? "sqlite" : Reflect.get(db, k)),
    });
    for (const [a, b] of WINDOWS) {
      const [from, to] = [new Date(a), new Date(b)];
      const one = await getWindowFiguresByHost(db, from, to, HOSTS);
      expect(one.size).toBe(2);
      expect(await getWindowFiguresByHost(perLookup, from, to, HOSTS)).toEqual(one);
      expect(await getWindowFigures(perLookup, from, to, ["bo"])).toEqual(one.get("bo"));
    }

    await applyMigrations(server.url("upgrade"));
    expect(await count(`SELECT count(*)::int AS n FROM "Poll"`)).toBe(rows);
    // The server's first upkeep moves each stored day into its partition.
    expect(await count(`SELECT count(*)::int AS n FROM "Poll_default"`)).toBe(rows);
    await ensurePollPartitions(db, new Date());
    expect(await count(`SELECT count(*)::int AS n FROM "Poll_default"`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM "Poll"`)).toBe(rows);
    const days = (await pollPartitions(db)).map((p) => p.day.getTime());
    const dayOf = (t: number) => Math.floor(t / D) * D;
    for (let t = dayOf(NOW - 33 * D); t <= dayOf(NOW - 29 * D - 1); t += D) expect(days).toContain(t);
    for (let t = dayOf(NOW - 9 * D); t <= dayOf(NOW - 6 * D - 1); t += D) expect(days).toContain(t);
    expect(days).toContain(dayOf(Date.now()));
    expect(await figures()).toEqual(before);
  });

  test("roll-ups keep a minute's (past 7 days) or an hour's (past 30) first and last poll; figures unchanged", async () => {
    const n = await rollUpPolls(db, new Date(NOW));
    expect(n.minute).toBeGreaterThan(0);
    expect(n.hour).toBeGreaterThan(0);
    const left = await count(`SELECT count(*)::int AS n FROM "Poll"`);
    expect(left).toBe(rows - n.minute - n.hour);
    const most = (grain: string, lo: number, hi: number) =>
      count(`SELECT coalesce(max(c), 0)::int AS n FROM (SELECT count(*) AS c FROM "Poll"
               WHERE "polledAt" >= '${new Date(lo).toISOString().replace("Z", "")}' AND "polledAt" < '${new Date(hi).toISOString().replace("Z", "")}'
               GROUP BY "host", date_trunc('${grain}', "polledAt")) x`);
    expect(await most("hour", 0, NOW - 30 * D)).toBe(2);
    expect(await most("minute", NOW - 30 * D, NOW - 7 * D)).toBe(2);
    expect(await most("minute", NOW - 7 * D, NOW)).toBe(6); // not rolled up yet
    expect(await figures()).toEqual(before);
    // Round trips per figure, counted on the client: one statement for all hosts and bounds.
    let trips = 0;
    const counted = new Proxy({} as Db, {
      get: (_, k) => {
        const v = Reflect.get(db, k) as unknown;
        if (k === "$queryRawUnsafe" && typeof v === "function")
          return (...a: unknown[]) => (trips++, (v as (...x: unknown[]) => unknown).apply(db, a));
        if (k === "poll") return new Proxy(db.poll, { get: (t, m) => (trips++, Reflect.get(t, m)) });
        return v;
      },
    });
    const series = await getSeries(counted, new Date(NOW - 30 * D), new Date(NOW), 120, HOSTS);
    // Buckets start on a multiple of the step: one more when NOW (whole hours) is not one of them.
    const step = series.bucket_ms;
    const first = Math.floor((NOW - 30 * D) / step) * step;
    expect(series.points).toHaveLength(Math.ceil((NOW - first) / step)); // 120, or 121 unaligned
    expect(trips).toBe(2); // the running totals at every bound x 2 hosts, and the read events
    trips = 0;
    await getWindowFiguresByHost(counted, new Date(NOW - 7 * D), new Date(NOW), HOSTS);
    expect(trips).toBe(1);
    // Again at the same time: nothing left to roll up.
    expect(await rollUpPolls(db, new Date(NOW))).toEqual({ minute: 0, hour: 0 });
  });

  test("retention drops whole day partitions; the coming days' partitions are made ahead", async () => {
    const cutoff = new Date(NOW - 31 * D - 5 * H);
    const dayCut = Math.floor(cutoff.getTime() / D) * D;
    const old = (await pollPartitions(db)).filter((p) => p.day.getTime() + D <= dayCut);
    expect(old.length).toBeGreaterThan(0);
    const gone = await count(
      `SELECT count(*)::int AS n FROM "Poll" WHERE "polledAt" < '${new Date(dayCut).toISOString().replace("Z", "")}'`,
    );
    const pruned = await pruneHistory(db, cutoff);
    expect(pruned.polls).toBe(gone);
    const names = (await pollPartitions(db)).map((p) => p.name);
    for (const p of old) expect(names).not.toContain(p.name);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM "Poll" WHERE "polledAt" < '${new Date(dayCut).toISOString().replace("Z", "")}'`,
      ),
    ).toBe(0);
    // the day the cutoff falls in is kept whole
    expect(names).toContain(`Poll_${new Date(dayCut).toISOString().slice(0, 10).replaceAll("-", "")}`);

    const later = new Date(Date.now() + 3 * D);
    const made = await ensurePollPartitions(db, later);
    expect(made.length).toBeGreaterThan(0);
    const poll: PollSummary = {
      id: 900_000,
      polled_at: later,
      docker_reachable: true,
      docker_latency_ms: 2,
      docker_error: null,
      duration_ms: 1,
      interval_ms: 5000,
      checks: 1,
      diverged: 0,
      in_flight: 0,
      diverged_ack: 0,
      projects: 1,
      kind_counts: {},
      seq: 1,
      cum_checks: 1,
      cum_diverged: 0,
      cum_diverged_ack: 0,
      cum_kinds: {},
      cum_covered_ms: 0,
      cum_latency_ms: 2,
      simulated: false,
    };
    expect(await insertPollRow(db, "ana", poll, true)).toBe(1);
    expect(await insertPollRow(db, "ana", poll, true)).toBe(0); // an agent's resend
    const [where] = await db.$queryRawUnsafe<{ part: string }[]>(
      `SELECT tableoid::regclass::text AS part FROM "Poll" WHERE "host" = 'ana' AND "id" = 900000`,
    );
    expect(where?.part).toBe(`"${made[0]}"`);
  });
});
