-- AlterTable
ALTER TABLE "Instance" ADD COLUMN     "adrState" TEXT;

-- AlterTable
ALTER TABLE "ReadEvent" ADD COLUMN     "cacheAgeMs" DOUBLE PRECISION,
ADD COLUMN     "fallbackVia" TEXT;

-- CreateTable
CREATE TABLE "AllocationFailure" (
    "id" SERIAL NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "instanceId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "project" TEXT NOT NULL,
    "port" INTEGER,
    "message" TEXT NOT NULL,
    "simulated" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "AllocationFailure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AllocationFailure_at_idx" ON "AllocationFailure"("at");
