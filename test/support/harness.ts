// A collector wired to real parts: the private daemon, a real registry file, a freshly
// migrated database: SQLite in a temp folder, or (project integration-pg) a fresh database on
// the run's private PostgreSQL server.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv, type Env } from "../../lib/env";
import { closeDb, getDb, type Db } from "../../lib/db";
import { ReadOnlyDocker } from "../../lib/docker/client";
import { Collector } from "../../lib/collector/collector";
import { applyMigrations } from "../../scripts/schema-engine.mjs";
import { inject } from "vitest";
import pg from "pg";

/** Which database the suite runs on: the integration-pg project sets L9_TEST_DB=postgresql. */
export const testDatabase = process.env.L9_TEST_DB === "postgresql" ? "postgresql" : "sqlite";

/** A fresh, migrated database URL: a file in `dir`, or a new PostgreSQL database. */
export async function freshDatabaseUrl(dir: string): Promise<string> {
  if (testDatabase === "sqlite") {
    const url = `file:${path.join(dir, "test.db")}`;
    await applyMigrations(url);
    return url;
  }
  const admin = inject("postgresAdminUrl");
  const name = `t_${path
    .basename(dir)
    .replace(/[^a-z0-9]/gi, "")
    .toLowerCase()}_${Date.now() % 1e6}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = admin.replace(/\/postgres$/, `/${name}`);
  await applyMigrations(url);
  return url;
}

export type Harness = {
  dir: string;
  cfg: Env;
  db: Db;
  collector: Collector;
  registryPath: string;
  writeRegistry: (ports: Record<string, number | string | null>, extra?: Record<string, unknown>) => void;
  close: () => Promise<void>;
};

export async function makeHarness(opts: {
  dockerHost: string;
  selector: string;
  env?: Record<string, string>;
  now?: () => Date;
}): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-it-"));
  const registryPath = path.join(dir, "project_registry.json");
  const databaseUrl = await freshDatabaseUrl(dir);
  const cfg = parseEnv({
    DOCKER_HOST: opts.dockerHost,
    L9_LABEL_SELECTOR: opts.selector,
    L9_REGISTRY_PATH: registryPath,
    DATABASE_URL: databaseUrl,
    L9_POLL_INTERVAL_MS: "60000",
    L9_DOCKER_TIMEOUT_MS: "2000",
    ...opts.env,
  });
  const db = getDb(databaseUrl);
  const collector = new Collector({
    cfg,
    db,
    docker: new ReadOnlyDocker(cfg.dockerHost, cfg.dockerTimeoutMs),
    now: opts.now,
  });
  await collector.ready();
  return {
    dir,
    cfg,
    db,
    collector,
    registryPath,
    writeRegistry: (ports, extra = {}) => writeRegistryFile(registryPath, ports, extra),
    close: async () => {
      await collector.stop();
      await closeDb(databaseUrl);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes the registry as ProjectContextManager does: a tmp file, then rename. */
export function writeRegistryFile(
  file: string,
  ports: Record<string, number | string | null>,
  extra: Record<string, unknown> = {},
): void {
  const now = new Date()
    .toISOString()
    .replace("Z", "")
    .replace(/(\.\d{3})$/, "$1000");
  const body = {
    projects: Object.fromEntries(Object.keys(ports).map((p) => [p, `/home/dev/${p}`])),
    last_activity: Object.fromEntries(Object.keys(ports).map((p) => [p, now])),
    active_project: Object.keys(ports)[0] ?? null,
    active_project_path: Object.keys(ports)[0] ? `/home/dev/${Object.keys(ports)[0]}` : null,
    container_ports: ports,
    version: "1.0",
    updated: now,
    ...extra,
  };
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(body, null, 2));
  fs.renameSync(tmp, file);
}

export const kinds = (findings: { kind: string }[]) => findings.map((f) => f.kind).sort();
