-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "stateHash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "stateHead" TEXT NOT NULL DEFAULT '';
