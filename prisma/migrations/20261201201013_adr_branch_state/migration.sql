-- AlterTable
ALTER TABLE "Instance" ADD COLUMN "adrState" TEXT;

-- AlterTable
ALTER TABLE "ReadEvent" ADD COLUMN "cacheAgeMs" REAL;
ALTER TABLE "ReadEvent" ADD COLUMN "fallbackVia" TEXT;

-- CreateTable
CREATE TABLE "AllocationFailure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "host" TEXT NOT NULL DEFAULT '',
    "instanceId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "project" TEXT NOT NULL,
    "port" INTEGER,
    "message" TEXT NOT NULL,
    "simulated" BOOLEAN NOT NULL DEFAULT false
);

-- CreateIndex
CREATE INDEX "AllocationFailure_at_idx" ON "AllocationFailure"("at");
