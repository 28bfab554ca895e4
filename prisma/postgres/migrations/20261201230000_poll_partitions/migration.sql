-- Issue 26: "Poll" partitioned by UTC day on PostgreSQL (SQLite keeps one table). Retention
-- drops the partition of a whole day, and roll-ups delete the polls between the first and the
-- last of each bucket. The keys of a partitioned table hold its partition column, so the key
-- becomes (host, id, polledAt). The engine splits this script at every semicolon: no DO block.
-- The stored polls land in the default partition, and the hourly upkeep of the server moves each
-- day of them into its own partition (ensurePollPartitions in lib/store/dialect-pg.ts).
ALTER TABLE "Poll" RENAME TO "Poll_unpartitioned";
ALTER TABLE "Poll_unpartitioned" RENAME CONSTRAINT "Poll_pkey" TO "Poll_unpartitioned_pkey";
ALTER INDEX "Poll_host_polledAt_idx" RENAME TO "Poll_unpartitioned_host_polledAt_idx";

CREATE TABLE "Poll" (LIKE "Poll_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("polledAt");
ALTER TABLE "Poll" ADD CONSTRAINT "Poll_pkey" PRIMARY KEY ("host", "id", "polledAt");
CREATE INDEX "Poll_host_polledAt_idx" ON "Poll"("host", "polledAt");
CREATE TABLE "Poll_default" PARTITION OF "Poll" DEFAULT;

INSERT INTO "Poll" SELECT * FROM "Poll_unpartitioned";
DROP TABLE "Poll_unpartitioned";

-- How far each roll-up grain has gone (raw SQL only, lib/store/dialect-pg.ts).
CREATE TABLE "PollRollup" (
    "grain" TEXT NOT NULL,
    "doneTo" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "PollRollup_pkey" PRIMARY KEY ("grain")
);
