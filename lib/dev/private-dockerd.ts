// A private Docker daemon for tests, benchmarks and the demo: its own socket, data and exec
// roots under one temp folder, no bridge, no iptables. It never touches /var/run/docker.sock.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";

export const STUB_IMAGE = "l9-stub:latest";

export type PrivateDockerd = {
  dir: string;
  socketPath: string;
  dockerHost: string;
  pid: number;
  /** Stops it and leaves nothing behind: containers, processes, mounts, folder. */
  stop: () => Promise<void>;
  /** Stops only dockerd (an outage): containers and the folder stay, to start it again on them. */
  halt: () => Promise<void>;
  /**
   * Freezes dockerd (SIGSTOP): it keeps accepting connections and answers nothing. Resolves
   * once every one of its threads is stopped: the stop is not instant (a thread that is
   * running or waiting for a CPU stops only when it is next scheduled), and a request sent
   * before then can still be answered.
   */
  freeze: () => Promise<void>;
  /** True while every thread of dockerd is stopped. */
  frozen: () => boolean;
  /** Thaws a frozen dockerd (SIGCONT). */
  thaw: () => void;
};

export function privateDockerdMissing(): string | null {
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    return "the private Docker daemon needs root (run the tests as root, as CI does)";
  }
  const dockerd = ["/usr/sbin/dockerd", "/usr/bin/dockerd"].find((p) => fs.existsSync(p));
  if (!dockerd) return "dockerd is not installed: apt-get install -y docker.io";
  if (!fs.existsSync("/bin/busybox"))
    return "busybox-static is not installed: apt-get install -y busybox-static";
  return null;
}

export function pingSocket(socketPath: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: "/_ping", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts dockerd in `dir` (a fresh temp folder by default) and waits until it answers. */
export async function startPrivateDockerd(
  opts: { dir?: string; log?: (line: string) => void } = {},
): Promise<PrivateDockerd> {
  const missing = privateDockerdMissing();
  if (missing) throw new Error(missing);
  // Unix socket paths are limited to 107 bytes: keep the folder short.
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "l9d-"));
  fs.mkdirSync(dir, { recursive: true });
  const socketPath = path.join(dir, "docker.sock");
  const logFile = fs.openSync(path.join(dir, "dockerd.log"), "a");
  const child = spawn(
    "dockerd",
    [
      "--host",
      `unix://${socketPath}`,
      "--data-root",
      path.join(dir, "data"),
      "--exec-root",
      path.join(dir, "exec"),
      "--pidfile",
      path.join(dir, "docker.pid"),
      "--bridge=none",
      "--iptables=false",
      "--ip6tables=false",
    ],
    { detached: true, stdio: ["ignore", logFile, logFile] },
  );
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error("dockerd did not start");
  const deadline = Date.now() + 60_000;
  while (!(await pingSocket(socketPath))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      const log = fs.readFileSync(path.join(dir, "dockerd.log"), "utf8").split("\n").slice(-15).join("\n");
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
      throw new Error(`private dockerd did not become ready:\n${log}`);
    }
    await sleep(200);
  }
  opts.log?.(`private dockerd ready at unix://${socketPath} (pid ${pid})`);
  return {
    dir,
    socketPath,
    dockerHost: `unix://${socketPath}`,
    pid,
    stop: () => stopPrivateDockerd(dir, pid),
    halt: () => terminate(pid, 20_000),
    freeze: () => freeze(pid),
    frozen: () => allThreadsStopped(pid),
    thaw: () => process.kill(pid, "SIGCONT"),
  };
}

async function freeze(pid: number): Promise<void> {
  process.kill(pid, "SIGSTOP");
  const deadline = Date.now() + 10_000;
  while (!allThreadsStopped(pid)) {
    if (Date.now() > deadline) throw new Error(`dockerd (pid ${pid}) did not stop within 10 s of SIGSTOP`);
    await sleep(5);
  }
}

/** Every thread of `pid` is in state T (stopped), read from /proc/<pid>/task/<tid>/stat. */
function allThreadsStopped(pid: number): boolean {
  try {
    const tids = fs.readdirSync(`/proc/${pid}/task`);
    return (
      tids.length > 0 &&
      tids.every((tid) => {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        return stat.charAt(stat.lastIndexOf(")") + 2) === "T";
      })
    );
  } catch {
    return false;
  }
}

/**
 * Stops a private daemon and leaves nothing of it behind: its containers are removed first
 * (so dockerd need not stop a fleet while we wait), then dockerd gets SIGTERM (SIGKILL after
 * 20 s), then any process still naming its folder (containerd, shims) is killed, its mounts
 * are detached and the folder is removed.
 */
export async function stopPrivateDockerd(dir: string, pid: number): Promise<void> {
  const socketPath = path.join(dir, "docker.sock");
  if (await pingSocket(socketPath)) await removeAllContainers(socketPath).catch(() => undefined);
  await terminate(pid, 20_000);
  for (const other of processesUnder(dir)) await terminate(other, 5_000);
  unmountUnder(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

async function removeAllContainers(socketPath: string): Promise<void> {
  const docker = new Docker({ socketPath, timeout: 60_000 });
  const all = await docker.listContainers({ all: true });
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const c = all[next++]!;
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, all.length) }, worker));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function terminate(pid: number, graceMs: number): Promise<void> {
  if (!alive(pid)) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    /* gone */
  }
  // Reap-free wait: a killed process may linger as a zombie of its parent; don't block on it.
  const until = Date.now() + 2000;
  while (alive(pid) && Date.now() < until && !isZombie(pid)) await sleep(50);
}

function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** Live processes whose command line names the folder (containerd, containerd-shim-runc-v2). */
export function processesUnder(dir: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmd.includes(dir) && !isZombie(Number(entry))) out.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** Mount points inside the folder (overlay layers, shm, netns), deepest first. */
export function mountsUnder(dir: string): string[] {
  const mounts = fs.readFileSync("/proc/self/mounts", "utf8").split("\n");
  const points = mounts.map((l) => l.split(" ")[1] ?? "").map((p) => p.replace(/\\040/g, " "));
  return points.filter((p) => p === dir || p.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
}

function unmountUnder(dir: string): void {
  for (const point of mountsUnder(dir)) {
    try {
      execFileSync("umount", ["-l", point], { stdio: "ignore" });
    } catch {
      /* already gone */
    }
  }
}

/** Imports a tiny image (busybox-static: sh, sleep) into the daemon, once. */
export async function ensureStubImage(socketPath: string): Promise<string> {
  const docker = new Docker({ socketPath });
  const images = await docker.listImages({ filters: { reference: [STUB_IMAGE] } });
  if (images.length > 0) return STUB_IMAGE;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "l9-stub-"));
  fs.mkdirSync(path.join(root, "bin"));
  fs.copyFileSync("/bin/busybox", path.join(root, "bin", "busybox"));
  fs.chmodSync(path.join(root, "bin", "busybox"), 0o755);
  for (const tool of ["sh", "sleep", "true"]) fs.symlinkSync("busybox", path.join(root, "bin", tool));
  const tarPath = path.join(root, "..", `${path.basename(root)}.tar`);
  execFileSync("tar", ["-C", root, "-cf", tarPath, "."]);
  const [repo, tag] = STUB_IMAGE.split(":");
  const stream = await docker.importImage(fs.createReadStream(tarPath), { repo, tag });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve()));
  });
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(tarPath, { force: true });
  return STUB_IMAGE;
}
