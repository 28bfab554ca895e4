-- AlterTable
ALTER TABLE "Instance" ADD COLUMN "endedAt" DATETIME;

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
    "cumKinds" TEXT NOT NULL DEFAULT '{}',
    "simulated" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Poll" ("checks", "cumChecks", "cumDiverged", "cumKinds", "diverged", "dockerError", "dockerLatencyMs", "dockerReachable", "durationMs", "id", "kindCounts", "polledAt", "projects", "seq", "simulated") SELECT "checks", "cumChecks", "cumDiverged", "cumKinds", "diverged", "dockerError", "dockerLatencyMs", "dockerReachable", "durationMs", "id", "kindCounts", "polledAt", "projects", "seq", "simulated" FROM "Poll";
DROP TABLE "Poll";
ALTER TABLE "new_Poll" RENAME TO "Poll";
CREATE INDEX "Poll_polledAt_idx" ON "Poll"("polledAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
