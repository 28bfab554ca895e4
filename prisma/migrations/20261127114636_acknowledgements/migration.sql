-- CreateTable
CREATE TABLE "Acknowledgement" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "project" TEXT NOT NULL,
    "source" TEXT,
    "kind" TEXT,
    "value" TEXT,
    "reason" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "endedBy" TEXT
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Poll" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "simulated" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Poll" ("checks", "cumChecks", "cumDiverged", "cumKinds", "diverged", "dockerError", "dockerLatencyMs", "dockerReachable", "durationMs", "id", "intervalMs", "kindCounts", "polledAt", "projects", "seq", "simulated") SELECT "checks", "cumChecks", "cumDiverged", "cumKinds", "diverged", "dockerError", "dockerLatencyMs", "dockerReachable", "durationMs", "id", "intervalMs", "kindCounts", "polledAt", "projects", "seq", "simulated" FROM "Poll";
DROP TABLE "Poll";
ALTER TABLE "new_Poll" RENAME TO "Poll";
CREATE INDEX "Poll_polledAt_idx" ON "Poll"("polledAt");
CREATE TABLE "new_Review" (
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
    "decidedAt" DATETIME,
    "decidedBy" TEXT,
    "acceptAcknowledged" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Review" ("attendees", "createdAt", "createdBy", "decidedAt", "decidedBy", "decision", "evaluation", "id", "notes", "phase", "signOffs", "window") SELECT "attendees", "createdAt", "createdBy", "decidedAt", "decidedBy", "decision", "evaluation", "id", "notes", "phase", "signOffs", "window" FROM "Review";
DROP TABLE "Review";
ALTER TABLE "new_Review" RENAME TO "Review";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
