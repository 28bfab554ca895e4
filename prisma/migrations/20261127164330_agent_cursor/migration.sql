-- AlterTable
ALTER TABLE "Restart" ADD COLUMN "ref" INTEGER;

-- AlterTable
ALTER TABLE "ReadEvent" ADD COLUMN "ref" INTEGER;

-- CreateTable
CREATE TABLE "AgentCursor" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Restart_host_ref_key" ON "Restart"("host", "ref");

-- CreateIndex
CREATE UNIQUE INDEX "ReadEvent_host_ref_key" ON "ReadEvent"("host", "ref");
