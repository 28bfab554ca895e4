-- DropIndex
DROP INDEX "ModeChange_instanceId_idx";

-- AlterTable
ALTER TABLE "ModeChange" ADD COLUMN "ref" INTEGER;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Instance" (
    "instanceId" TEXT NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "startedAt" DATETIME NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "takenAt" DATETIME NOT NULL,
    "via" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "replacedBy" TEXT,
    "endedAt" DATETIME,
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "adrState" TEXT,
    "mode" TEXT,
    "codeVersion" TEXT,
    "legacyReads" TEXT,

    PRIMARY KEY ("host", "instanceId")
);
INSERT INTO "new_Instance" ("adrState", "codeVersion", "endedAt", "firstSeenAt", "host", "instanceId", "lastSeenAt", "legacyReads", "mode", "replacedBy", "simulated", "snapshot", "startedAt", "takenAt", "via") SELECT "adrState", "codeVersion", "endedAt", "firstSeenAt", "host", "instanceId", "lastSeenAt", "legacyReads", "mode", "replacedBy", "simulated", "snapshot", "startedAt", "takenAt", "via" FROM "Instance";
DROP TABLE "Instance";
ALTER TABLE "new_Instance" RENAME TO "Instance";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ModeChange_host_instanceId_at_idx" ON "ModeChange"("host", "instanceId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ModeChange_host_ref_key" ON "ModeChange"("host", "ref");
