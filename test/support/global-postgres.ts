// Vitest global setup of the `integration-pg` project: one private PostgreSQL server
// (Debian's binaries, loopback, its own folder) for the run. Each harness creates its own
// database on it, so suites start empty exactly as they do on SQLite.
import type { TestProject } from "vitest/node";
import { startPrivatePostgres } from "../../lib/dev/private-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** postgresql://… of the server's maintenance database (CREATE DATABASE runs there) */
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startPrivatePostgres();
  project.provide("postgresAdminUrl", server.url("postgres"));
  return async () => {
    await server.stop();
  };
}
