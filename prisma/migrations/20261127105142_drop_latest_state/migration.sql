-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "LatestState";
PRAGMA foreign_keys=on;
