// Health's database probe (issue 28 item 7) on real databases: a SQLite file locked by another
// connection answers "busy" within the bound and "ok" once released; PostgreSQL (project
// integration-pg) answers "ok" from a live server and "error" within the bound from none.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeDb, getDb } from "../../lib/db";
import { ping, probeDatabase } from "../../lib/store/dialect";
import { freshDatabaseUrl, testDatabase } from "../support/harness";

const BOUND_MS = 1000;
let dir = "";
let url = "";
const file = () => (testDatabase === "sqlite" ? url.replace(/^file:/, "") : null);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-health-db-"));
  url = await freshDatabaseUrl(dir);
  // The app's client is warm (the collector uses it): a cold first connection is not the probe's to time.
  await ping(getDb(url));
});
afterAll(async () => {
  await closeDb(url);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a reachable, writable database probes ok", async () => {
  expect(await probeDatabase(getDb(url), file(), BOUND_MS)).toMatchObject({ kind: "ok" });
});

if (testDatabase === "sqlite")
  test("a write lock held by another connection is 'busy' within the bound, 'ok' after release", async () => {
    const other = new Database(file()!);
    other.exec("BEGIN EXCLUSIVE");
    try {
      // It answers while the lock is still held: it gave up at its bound instead of waiting.
      const probe = await probeDatabase(getDb(url), file(), BOUND_MS);
      expect(probe).toMatchObject({ kind: "busy" });
      if (probe.kind === "busy") expect(probe.waitedMs).toBeGreaterThanOrEqual(BOUND_MS - 100);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(await probeDatabase(getDb(url), file(), BOUND_MS)).toMatchObject({ kind: "ok" });
  });

if (testDatabase === "sqlite")
  test("a database file that is gone is an error, not ok", async () => {
    const gone = path.join(dir, "gone.db");
    expect(await probeDatabase(getDb(url), gone, BOUND_MS)).toMatchObject({ kind: "error" });
  });

if (testDatabase === "postgresql")
  test("a PostgreSQL server that is not there is an error within the bound", async () => {
    const nowhere = url.replace(/@[^/]+\//, "@127.0.0.1:1/");
    try {
      const probe = await probeDatabase(getDb(nowhere), null, BOUND_MS);
      expect(["error", "timeout"]).toContain(probe.kind);
    } finally {
      await closeDb(nowhere);
    }
  });
