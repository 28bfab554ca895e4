-- CreateTable
CREATE TABLE "Poll" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "polledAt" DATETIME NOT NULL,
    "dockerReachable" BOOLEAN NOT NULL,
    "dockerLatencyMs" REAL,
    "dockerError" TEXT,
    "durationMs" REAL NOT NULL,
    "checks" INTEGER NOT NULL,
    "diverged" INTEGER NOT NULL,
    "projects" INTEGER NOT NULL,
    "kindCounts" TEXT NOT NULL DEFAULT '{}',
    "seq" INTEGER NOT NULL,
    "cumChecks" INTEGER NOT NULL,
    "cumDiverged" INTEGER NOT NULL,
    "cumKinds" TEXT NOT NULL DEFAULT '{}',
    "simulated" BOOLEAN NOT NULL DEFAULT false
);

-- CreateTable
CREATE TABLE "LatestState" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "polledAt" DATETIME NOT NULL,
    "body" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "FindingEpisode" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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

-- CreateTable
CREATE TABLE "CheckRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "project" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "diverged" BOOLEAN NOT NULL,
    "startSeq" INTEGER NOT NULL,
    "endSeq" INTEGER
);

-- CreateTable
CREATE TABLE "Container" (
    "id" TEXT NOT NULL PRIMARY KEY,
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

-- CreateTable
CREATE TABLE "Instance" (
    "instanceId" TEXT NOT NULL PRIMARY KEY,
    "startedAt" DATETIME NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "takenAt" DATETIME NOT NULL,
    "via" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "replacedBy" TEXT,
    "simulated" BOOLEAN NOT NULL DEFAULT false
);

-- CreateTable
CREATE TABLE "Restart" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "instanceId" TEXT NOT NULL,
    "previousInstanceId" TEXT NOT NULL,
    "previousStartedAt" DATETIME,
    "startedAt" DATETIME NOT NULL,
    "detectedAt" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "recoveredAt" DATETIME,
    "simulated" BOOLEAN NOT NULL DEFAULT false
);

-- CreateTable
CREATE TABLE "ReadEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "instanceId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "project" TEXT NOT NULL,
    "servedBy" TEXT NOT NULL,
    "dockerOk" BOOLEAN NOT NULL,
    "latencyMs" REAL,
    "simulated" BOOLEAN NOT NULL DEFAULT false
);

-- CreateTable
CREATE TABLE "PhaseChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "phase" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "setBy" TEXT NOT NULL,
    "setAt" DATETIME NOT NULL,
    "note" TEXT NOT NULL DEFAULT ''
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "phase" INTEGER NOT NULL,
    "window" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "createdBy" TEXT NOT NULL,
    "evaluation" TEXT NOT NULL,
    "attendees" TEXT NOT NULL DEFAULT '[]',
    "notes" TEXT NOT NULL DEFAULT '',
    "decision" TEXT,
    "signOffs" TEXT NOT NULL DEFAULT '[]',
    "decidedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Poll_polledAt_idx" ON "Poll"("polledAt");

-- CreateIndex
CREATE INDEX "FindingEpisode_project_openedAt_idx" ON "FindingEpisode"("project", "openedAt");

-- CreateIndex
CREATE INDEX "FindingEpisode_closedAt_idx" ON "FindingEpisode"("closedAt");

-- CreateIndex
CREATE INDEX "FindingEpisode_kind_openedAt_idx" ON "FindingEpisode"("kind", "openedAt");

-- CreateIndex
CREATE INDEX "CheckRun_project_startSeq_idx" ON "CheckRun"("project", "startSeq");

-- CreateIndex
CREATE INDEX "CheckRun_endSeq_idx" ON "CheckRun"("endSeq");

-- CreateIndex
CREATE INDEX "Container_project_idx" ON "Container"("project");

-- CreateIndex
CREATE INDEX "Container_firstSeenAt_idx" ON "Container"("firstSeenAt");

-- CreateIndex
CREATE INDEX "Restart_detectedAt_idx" ON "Restart"("detectedAt");

-- CreateIndex
CREATE INDEX "ReadEvent_at_idx" ON "ReadEvent"("at");

-- CreateIndex
CREATE INDEX "ReadEvent_instanceId_at_idx" ON "ReadEvent"("instanceId", "at");
