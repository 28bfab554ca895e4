-- AlterTable
ALTER TABLE "Host" ADD COLUMN "agentId" INTEGER;
