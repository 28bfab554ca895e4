-- CreateTable
CREATE TABLE "AlertEpisode" (
    "key" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "fired" BOOLEAN NOT NULL,
    "condition" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertEpisode_pkey" PRIMARY KEY ("key")
);
