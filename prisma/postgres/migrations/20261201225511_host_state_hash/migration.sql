-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "stateHash" TEXT NOT NULL DEFAULT '';
