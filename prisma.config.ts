// Prisma CLI configuration (used by `prisma generate`). Migrations are applied by
// scripts/migrate.mjs through the schema engine's WebAssembly build, offline.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
