-- DropIndex
DROP INDEX "ModeChange_instanceId_idx";

-- AlterTable
ALTER TABLE "Instance" DROP CONSTRAINT "Instance_pkey",
ADD CONSTRAINT "Instance_pkey" PRIMARY KEY ("host", "instanceId");

-- AlterTable
ALTER TABLE "ModeChange" ADD COLUMN     "ref" INTEGER;

-- CreateIndex
CREATE INDEX "ModeChange_host_instanceId_at_idx" ON "ModeChange"("host", "instanceId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ModeChange_host_ref_key" ON "ModeChange"("host", "ref");
