-- CreateTable
CREATE TABLE "LocalUser" (
    "id" INTEGER NOT NULL,
    "identity" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LocalUser_pkey" PRIMARY KEY ("id")
);
