-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Host" (
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
    "state" TEXT NOT NULL,
    "stateHash" TEXT NOT NULL DEFAULT '',
    "stateHead" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_Host" ("agentId", "agentVersion", "buffered", "dropped", "firstPollId", "firstSeenAt", "lastPollId", "lastPolledAt", "name", "pollsStored", "receivedAt", "state") SELECT "agentId", "agentVersion", "buffered", "dropped", "firstPollId", "firstSeenAt", "lastPollId", "lastPolledAt", "name", "pollsStored", "receivedAt", "state" FROM "Host";
DROP TABLE "Host";
ALTER TABLE "new_Host" RENAME TO "Host";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
