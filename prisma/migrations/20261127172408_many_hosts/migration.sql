-- CreateTable
CREATE TABLE "Host" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "agentId" INTEGER,
    "agentVersion" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "lastPollId" INTEGER NOT NULL,
    "lastPolledAt" DATETIME NOT NULL,
    "pollsStored" INTEGER NOT NULL DEFAULT 0,
    "firstPollId" INTEGER NOT NULL DEFAULT 0,
    "buffered" INTEGER NOT NULL DEFAULT 0,
    "dropped" INTEGER NOT NULL DEFAULT 0,
    "state" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AgentCursor" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Outbox" (
    "pollId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "createdAt" DATETIME NOT NULL,
    "body" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Poll" (
    "host" TEXT NOT NULL DEFAULT '',
    "id" INTEGER NOT NULL,
    "polledAt" DATETIME NOT NULL,
    "dockerReachable" BOOLEAN NOT NULL,
    "dockerLatencyMs" REAL,
    "dockerError" TEXT,
    "durationMs" REAL NOT NULL,
    "intervalMs" INTEGER NOT NULL DEFAULT 5000,
    "checks" INTEGER NOT NULL,
    "diverged" INTEGER NOT NULL,
    "projects" INTEGER NOT NULL,
    "kindCounts" TEXT NOT NULL DEFAULT '{}',
    "seq" INTEGER NOT NULL,
    "cumChecks" INTEGER NOT NULL,
    "cumDiverged" INTEGER NOT NULL,
    "divergedAck" INTEGER NOT NULL DEFAULT 0,
    "cumDivergedAck" INTEGER NOT NULL DEFAULT 0,
    "cumKinds" TEXT NOT NULL DEFAULT '{}',
    "cumCoveredMs" REAL NOT NULL DEFAULT 0,
    "cumLatencyMs" REAL NOT NULL DEFAULT 0,
    "simulated" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("host", "id")
);
INSERT INTO "new_Poll" ("checks", "cumChecks", "cumDiverged", "cumDivergedAck", "cumKinds", "diverged", "divergedAck", "dockerError", "dockerLatencyMs", "dockerReachable", "durationMs", "id", "intervalMs", "kindCounts", "polledAt", "projects", "seq", "simulated") SELECT "checks", "cumChecks", "cumDiverged", "cumDivergedAck", "cumKinds", "diverged", "divergedAck", "dockerError", "dockerLatencyMs", "dockerReachable", "durationMs", "id", "intervalMs", "kindCounts", "polledAt", "projects", "seq", "simulated" FROM "Poll";
DROP TABLE "Poll";
ALTER TABLE "new_Poll" RENAME TO "Poll";
CREATE INDEX "Poll_host_polledAt_idx" ON "Poll"("host", "polledAt");
CREATE TABLE "new_FindingEpisode" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "host" TEXT NOT NULL DEFAULT '',
    "ref" INTEGER,
    "project" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "openedAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "lastSeenAt" DATETIME NOT NULL,
    "detail" TEXT NOT NULL,
    "simulated" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_FindingEpisode" ("closedAt", "detail", "id", "kind", "lastSeenAt", "openedAt", "project", "simulated", "source", "subject") SELECT "closedAt", "detail", "id", "kind", "lastSeenAt", "openedAt", "project", "simulated", "source", "subject" FROM "FindingEpisode";
DROP TABLE "FindingEpisode";
ALTER TABLE "new_FindingEpisode" RENAME TO "FindingEpisode";
CREATE INDEX "FindingEpisode_host_project_openedAt_idx" ON "FindingEpisode"("host", "project", "openedAt");
CREATE INDEX "FindingEpisode_closedAt_idx" ON "FindingEpisode"("closedAt");
CREATE INDEX "FindingEpisode_kind_openedAt_idx" ON "FindingEpisode"("kind", "openedAt");
CREATE UNIQUE INDEX "FindingEpisode_host_ref_key" ON "FindingEpisode"("host", "ref");
CREATE TABLE "new_CheckRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "host" TEXT NOT NULL DEFAULT '',
    "ref" INTEGER,
    "project" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "diverged" BOOLEAN NOT NULL,
    "startSeq" INTEGER NOT NULL,
    "endSeq" INTEGER
);
INSERT INTO "new_CheckRun" ("diverged", "endSeq", "id", "project", "source", "startSeq") SELECT "diverged", "endSeq", "id", "project", "source", "startSeq" FROM "CheckRun";
DROP TABLE "CheckRun";
ALTER TABLE "new_CheckRun" RENAME TO "CheckRun";
CREATE INDEX "CheckRun_host_project_startSeq_idx" ON "CheckRun"("host", "project", "startSeq");
CREATE INDEX "CheckRun_endSeq_idx" ON "CheckRun"("endSeq");
CREATE UNIQUE INDEX "CheckRun_host_ref_key" ON "CheckRun"("host", "ref");
CREATE TABLE "new_Container" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL DEFAULT '',
    "project" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "labels" TEXT NOT NULL,
    "labelIssues" TEXT NOT NULL DEFAULT '[]',
    "state" TEXT NOT NULL,
    "port" INTEGER,
    "lastSeenAt" DATETIME NOT NULL,
    "stoppedAt" DATETIME,
    "removedAt" DATETIME,
    "simulated" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Container" ("createdAt", "firstSeenAt", "id", "labelIssues", "labels", "lastSeenAt", "name", "port", "project", "removedAt", "simulated", "state", "stoppedAt") SELECT "createdAt", "firstSeenAt", "id", "labelIssues", "labels", "lastSeenAt", "name", "port", "project", "removedAt", "simulated", "state", "stoppedAt" FROM "Container";
DROP TABLE "Container";
ALTER TABLE "new_Container" RENAME TO "Container";
CREATE INDEX "Container_host_project_idx" ON "Container"("host", "project");
CREATE INDEX "Container_firstSeenAt_idx" ON "Container"("firstSeenAt");
CREATE TABLE "new_Instance" (
    "instanceId" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL DEFAULT '',
    "startedAt" DATETIME NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "takenAt" DATETIME NOT NULL,
    "via" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "replacedBy" TEXT,
    "endedAt" DATETIME,
    "simulated" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Instance" ("endedAt", "firstSeenAt", "instanceId", "lastSeenAt", "replacedBy", "simulated", "snapshot", "startedAt", "takenAt", "via") SELECT "endedAt", "firstSeenAt", "instanceId", "lastSeenAt", "replacedBy", "simulated", "snapshot", "startedAt", "takenAt", "via" FROM "Instance";
DROP TABLE "Instance";
ALTER TABLE "new_Instance" RENAME TO "Instance";
CREATE TABLE "new_Restart" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "host" TEXT NOT NULL DEFAULT '',
    "ref" INTEGER,
    "instanceId" TEXT NOT NULL,
    "previousInstanceId" TEXT NOT NULL,
    "previousStartedAt" DATETIME,
    "startedAt" DATETIME NOT NULL,
    "detectedAt" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "recoveredAt" DATETIME,
    "simulated" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Restart" ("detectedAt", "id", "instanceId", "previousInstanceId", "previousStartedAt", "reason", "recoveredAt", "simulated", "startedAt") SELECT "detectedAt", "id", "instanceId", "previousInstanceId", "previousStartedAt", "reason", "recoveredAt", "simulated", "startedAt" FROM "Restart";
DROP TABLE "Restart";
ALTER TABLE "new_Restart" RENAME TO "Restart";
CREATE INDEX "Restart_detectedAt_idx" ON "Restart"("detectedAt");
CREATE UNIQUE INDEX "Restart_host_ref_key" ON "Restart"("host", "ref");
CREATE TABLE "new_ReadEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "host" TEXT NOT NULL DEFAULT '',
    "ref" INTEGER,
    "instanceId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "project" TEXT NOT NULL,
    "servedBy" TEXT NOT NULL,
    "dockerOk" BOOLEAN NOT NULL,
    "latencyMs" REAL,
    "simulated" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_ReadEvent" ("at", "dockerOk", "id", "instanceId", "latencyMs", "project", "servedBy", "simulated") SELECT "at", "dockerOk", "id", "instanceId", "latencyMs", "project", "servedBy", "simulated" FROM "ReadEvent";
DROP TABLE "ReadEvent";
ALTER TABLE "new_ReadEvent" RENAME TO "ReadEvent";
CREATE INDEX "ReadEvent_at_idx" ON "ReadEvent"("at");
CREATE INDEX "ReadEvent_instanceId_at_idx" ON "ReadEvent"("instanceId", "at");
CREATE UNIQUE INDEX "ReadEvent_host_ref_key" ON "ReadEvent"("host", "ref");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Backfill (written by hand): the running totals of covered time and Docker latency for the
-- polls stored before this release, so windows that reach back before it stay exact.
UPDATE "Poll" SET "cumCoveredMs" = x.cc, "cumLatencyMs" = x.cl FROM (
  SELECT h, i,
         sum(CASE WHEN gap IS NOT NULL AND gap <= 3 * iv THEN gap ELSE 0 END) OVER w2 AS cc,
         sum(CASE WHEN r THEN coalesce(l, 0) ELSE 0 END) OVER w2 AS cl
    FROM (
      SELECT "host" AS h, "id" AS i, "dockerReachable" AS r, "dockerLatencyMs" AS l,
             (julianday("polledAt") - julianday(lag("polledAt") OVER w)) * 86400000 AS gap,
             max("intervalMs", coalesce(lag("intervalMs") OVER w, 0)) AS iv
        FROM "Poll" WINDOW w AS (PARTITION BY "host" ORDER BY "id")
    ) WINDOW w2 AS (PARTITION BY h ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
) AS x WHERE "Poll"."host" = x.h AND "Poll"."id" = x.i;
