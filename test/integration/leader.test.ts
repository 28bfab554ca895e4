// Issue 26, two server processes on one real PostgreSQL: the leader lock (lib/store/leader.ts)
// is held by exactly one of them; kill -9 the holder and a standby takes it over, and a third
// never gets it while one holds it. The holder is a real child process.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startPrivatePostgres, type PrivatePostgres } from "../../lib/dev/private-postgres";
import { LeaderLock } from "../../lib/store/leader";

let server: PrivatePostgres;
let url = "";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-leader-"));
const locks: LeaderLock[] = [];
let child: ChildProcess | null = null;

beforeAll(async () => {
  server = await startPrivatePostgres();
  url = await server.createDatabase("leader");
});

afterAll(async () => {
  child?.kill("SIGKILL");
  for (const l of locks) await l.stop();
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Waits (no deadline of its own: the test's timeout bounds it) until `n` tries were made. */
async function tried(lock: LeaderLock, n: number): Promise<void> {
  while (lock.attempts < n) await new Promise((r) => setTimeout(r, 20));
}

test("one leader; kill -9 it and a standby takes over; never two", { timeout: 60_000 }, async () => {
  const script = path.join(dir, "holder.mts");
  fs.writeFileSync(
    script,
    `const { LeaderLock } = await import(${JSON.stringify(path.resolve("lib/store/leader.ts"))});
     const l = new LeaderLock(process.env.URL, 100); l.start(); await l.whenLeader(); console.log("leader");
     setInterval(() => undefined, 1 << 30);`,
  );
  child = spawn(process.execPath, ["--import", "tsx", script], { env: { ...process.env, URL: url } });
  await new Promise<void>((resolve, reject) => {
    child!.stdout!.on("data", (b: Buffer) => b.toString().includes("leader") && resolve());
    child!.on("exit", (code) => reject(new Error(`holder exited ${code}`)));
  });
  const standby = new LeaderLock(url, 100);
  locks.push(standby);
  standby.start();
  await tried(standby, 2);
  expect(standby.isLeader()).toBe(false);

  const exited = new Promise((r) => child!.once("exit", (_c, signal) => r(signal)));
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  await standby.whenLeader();
  expect(standby.isLeader()).toBe(true);

  const third = new LeaderLock(url, 100);
  locks.push(third);
  third.start();
  await tried(third, 3);
  expect([standby.isLeader(), third.isLeader()]).toEqual([true, false]);
});
