-- AlterTable (issue 25). Written by hand as an ADD COLUMN, not the generated table rebuild:
-- SQLite adds a NOT NULL column with a constant default in place, without copying the Poll table.
ALTER TABLE "Poll" ADD COLUMN "inFlight" INTEGER NOT NULL DEFAULT 0;
