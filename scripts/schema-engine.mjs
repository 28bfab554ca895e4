// Prisma's schema engine, WebAssembly build, driven offline through a driver adapter
// (better-sqlite3 for SQLite files, pg for PostgreSQL). Used by `npm start` (apply migrations)
// and `npm run migration:create`. The CLI's own engine is a native binary it downloads, which
// cannot work here.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import {
  migrationsDir,
  postgresMigrationsDir,
  postgresSchemaPath,
  providerOf,
  schemaPath,
} from "./schema-source.mjs";

export { migrationsDir, postgresMigrationsDir, postgresSchemaPath, schemaPath };
const filters = { externalTables: [], externalEnums: [] };

let loaded;
async function loadWasm() {
  if (loaded) return loaded;
  // The package's `exports` map hides these two files: load them by path.
  const entry = fileURLToPath(import.meta.resolve("@prisma/schema-engine-wasm"));
  const dir = path.dirname(entry);
  const bg = await import(pathToFileURL(path.join(dir, "schema_engine_bg.js")).href);
  const bytes = fs.readFileSync(path.join(dir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  loaded = bg;
  return bg;
}

async function openEngine(databaseUrl, datamodel, log = () => {}) {
  const bg = await loadWasm();
  // Track the connections the engine opens: freeing the engine does not close them, and an
  // open one keeps a lock that makes the app's first queries wait out the busy timeout.
  const factory =
    providerOf(databaseUrl) === "postgresql"
      ? new PrismaPg({ connectionString: databaseUrl })
      : new PrismaBetterSqlite3({ url: databaseUrl });
  const opened = [];
  const track = (connect) => async () => {
    const conn = await connect();
    opened.push(conn);
    return conn;
  };
  const tracked = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: track(() => factory.connect()),
    connectToShadowDb: track(() => factory.connectToShadowDb()),
  };
  const engine = await bg.SchemaEngine.new(
    { datamodels: [["schema.prisma", datamodel]] },
    log,
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  return {
    engine,
    async close() {
      engine.free();
      for (const conn of opened) await conn.dispose();
    },
  };
}

function listMigrations(migrationsDir, upTo = null) {
  const dirs = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
        .filter((name) => upTo === null || name <= upTo)
    : [];
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: "migration_lock.toml",
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: {
          tag: "ok",
          value: fs.readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8"),
        },
      },
    })),
  };
}

/**
 * The database holds webhook URLs and sessions' people: its folder is 0700 when we create it,
 * and the file 0600 whatever the umask (SQLite gives -wal, -shm and -journal the file's own
 * mode). An existing file, or one of those, that others may read is tightened, with a log line.
 */
export function secureSqliteFile(file, log = (line) => console.log(line)) {
  const dir = path.dirname(file);
  const created = fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is filtered by the umask: set it again on every folder made here.
  for (let d = dir; created; d = path.dirname(d)) {
    fs.chmodSync(d, 0o700);
    if (d === created || d === path.dirname(d)) break;
  }
  try {
    const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600);
    fs.fchmodSync(fd, 0o600);
    fs.closeSync(fd);
  } catch (err) {
    if (err.code !== "EEXIST") throw err;
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    let st;
    try {
      st = fs.statSync(f);
    } catch {
      continue;
    }
    const mode = st.mode & 0o777;
    if (!st.isFile() || (mode & 0o077) === 0) continue;
    fs.chmodSync(f, 0o600);
    log(`[db] tightened ${f} from ${mode.toString(8)} to 600 (the database holds webhook URLs)`);
  }
}

/**
 * Applies pending migrations (`upTo`: only those named up to it, for upgrade tests): PostgreSQL from prisma/postgres/migrations; a SQLite file is
 * created if needed and switched to WAL first.
 */
export async function applyMigrations(databaseUrl, { upTo = null } = {}) {
  if (providerOf(databaseUrl) === "postgresql") {
    const { engine, close } = await openEngine(databaseUrl, fs.readFileSync(postgresSchemaPath, "utf8"));
    try {
      const out = await engine.applyMigrations({
        migrationsList: listMigrations(postgresMigrationsDir, upTo),
        filters,
      });
      return out.appliedMigrationNames;
    } finally {
      await close();
    }
  }
  const file = path.resolve(databaseUrl.replace(/^file:/, ""));
  secureSqliteFile(file);
  const db = new Database(file);
  db.pragma("journal_mode = WAL"); // persistent: set once on the file
  db.close();
  const { engine, close } = await openEngine(`file:${file}`, fs.readFileSync(schemaPath, "utf8"));
  try {
    const out = await engine.applyMigrations({
      migrationsList: listMigrations(migrationsDir, upTo),
      filters,
    });
    return out.appliedMigrationNames;
  } finally {
    await close();
  }
}

/**
 * SQL that turns the schema `fromText` (null: an empty database) into `toText`, for the
 * schemas' provider. PostgreSQL's engine connects even to diff: L9_PG_DIFF_URL
 * names a scratch database (npm run migration:create starts a private server for it).
 */
export async function diffSchemas(fromText, toText) {
  const diffUrl = /provider\s*=\s*"postgresql"/.test(toText)
    ? (process.env.L9_PG_DIFF_URL ?? "postgresql://l9@127.0.0.1:5432/diff")
    : "file::memory:";
  const { engine, close } = await openEngine(diffUrl, toText);
  try {
    const from =
      fromText === null
        ? { tag: "empty" }
        : { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: fromText }] };
    const out = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: toText }] },
      script: true,
      shadowDatabaseUrl: null,
      exitCode: null,
      filters,
    });
    return out.stdout ?? "";
  } finally {
    await close();
  }
}
