-- AlterTable
ALTER TABLE "Instance" ADD COLUMN "codeVersion" TEXT;
ALTER TABLE "Instance" ADD COLUMN "legacyReads" TEXT;
ALTER TABLE "Instance" ADD COLUMN "mode" TEXT;

-- CreateTable
CREATE TABLE "ModeChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "host" TEXT NOT NULL DEFAULT '',
    "instanceId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "mode" TEXT,
    "previousMode" TEXT,
    "codeVersion" TEXT,
    "rollback" BOOLEAN NOT NULL DEFAULT false,
    "simulated" BOOLEAN NOT NULL DEFAULT false
);

-- CreateIndex
CREATE INDEX "ModeChange_host_at_idx" ON "ModeChange"("host", "at");

-- CreateIndex
CREATE INDEX "ModeChange_instanceId_idx" ON "ModeChange"("instanceId");
