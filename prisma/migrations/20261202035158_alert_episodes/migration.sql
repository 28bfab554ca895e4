-- CreateTable
CREATE TABLE "AlertEpisode" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "since" DATETIME NOT NULL,
    "fired" BOOLEAN NOT NULL,
    "condition" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
