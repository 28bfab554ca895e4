-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "acceptAcknowledged" BOOLEAN NOT NULL DEFAULT false,
    "rationale" TEXT NOT NULL DEFAULT '',
    "actionItems" TEXT NOT NULL DEFAULT '[]',
    "followUp" DATETIME
);
INSERT INTO "new_Review" ("acceptAcknowledged", "attendees", "createdAt", "createdBy", "decidedAt", "decidedBy", "decision", "evaluation", "id", "notes", "phase", "signOffs", "window") SELECT "acceptAcknowledged", "attendees", "createdAt", "createdBy", "decidedAt", "decidedBy", "decision", "evaluation", "id", "notes", "phase", "signOffs", "window" FROM "Review";
DROP TABLE "Review";
ALTER TABLE "new_Review" RENAME TO "Review";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
