-- AlterTable
ALTER TABLE "Instance" ADD COLUMN     "codeVersion" TEXT,
ADD COLUMN     "legacyReads" TEXT,
ADD COLUMN     "mode" TEXT;

-- CreateTable
CREATE TABLE "ModeChange" (
    "id" SERIAL NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "instanceId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "mode" TEXT,
    "previousMode" TEXT,
    "codeVersion" TEXT,
    "rollback" BOOLEAN NOT NULL DEFAULT false,
    "simulated" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ModeChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModeChange_host_at_idx" ON "ModeChange"("host", "at");

-- CreateIndex
CREATE INDEX "ModeChange_instanceId_idx" ON "ModeChange"("instanceId");
