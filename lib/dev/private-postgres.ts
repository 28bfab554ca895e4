// A private PostgreSQL server for tests, benchmarks and creating migrations: Debian's
// `postgresql` binaries, its own data and socket folder under one temp folder, listening on
// loopback only, no system service. PostgreSQL refuses to run as root: as root the folder is
// handed to the `postgres` user and every binary runs through `runuser` (TOOLCHAIN.md).
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export type PrivatePostgres = {
  dir: string;
  port: number;
  /** postgresql://l9@127.0.0.1:<port>/<name> for a database created by `createDatabase` */
  url: (database: string) => string;
  createDatabase: (name: string) => Promise<string>;
  /** Stops the server and removes its folder. */
  stop: () => Promise<void>;
};

function binDir(): string | null {
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], "bin") : null;
}

export function privatePostgresMissing(): string | null {
  if (!binDir()) return "PostgreSQL is not installed: apt-get install -y postgresql";
  const root = process.getuid?.() === 0;
  if (root && spawnSync("id", ["-u", "postgres"]).status !== 0)
    return "the postgres user is missing (Debian's postgresql package creates it)";
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a private server (fsync off: test data) and returns how to reach it. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const missing = privatePostgresMissing();
  if (missing) throw new Error(missing);
  const bin = binDir()!;
  const asRoot = process.getuid?.() === 0;
  // Unix socket paths are limited to 107 bytes: keep the folder short.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9pg-"));
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  // cwd: the server's own folder. The checkout may sit in a folder only root can read, and
  // the postgres user must not start (or stop) from there.
  const run = (tool: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args], {
          stdio: "pipe",
          cwd: dir,
        })
      : execFileSync(path.join(bin, tool), args, { stdio: "pipe", cwd: dir });
  const data = path.join(dir, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", "l9", "-N", "-E", "UTF8", "--locale=C"]);
  const port = await freePort();
  const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  run("pg_ctl", ["-D", data, "-o", opts, "-l", path.join(dir, "log"), "-w", "-t", "60", "start"]);
  const url = (database: string) => `postgresql://l9@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    dir,
    port,
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
