// Issue 28 (items 7, 11, 14), tried against the built app over real HTTP: a real SQLite file
// locked by another connection or refused writes by the kernel (a file-size limit on the
// server process), real Chromium exporting PDFs with sign-in required, and file modes on disk.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { freePort, type App } from "./support/app";

/** Health must answer within this, whatever the database does (issue 28 item 7). */
const HEALTH_BOUND_MS = 3000;

const dbFile = (app: App) => app.databaseUrl.replace(/^file:/, "");

function pollIds(app: App): number[] {
  const db = new Database(dbFile(app), { readonly: true });
  try {
    return (db.prepare(`SELECT "id" FROM "Poll" ORDER BY "id"`).all() as { id: number }[]).map((r) =>
      Number(r.id),
    );
  } finally {
    db.close();
  }
}

type Health = {
  status: string;
  reasons: string[];
  database: {
    status: string;
    error: string | null;
    last_write: { ok: boolean; error: string | null; consecutive_failures: number } | null;
  };
};

/** GET health; the request itself fails when it takes longer than the bound. */
async function health(request: APIRequestContext, app: App): Promise<{ code: number; body: Health }> {
  const res = await request.get(`${app.url}/api/v1/health`, { timeout: HEALTH_BOUND_MS });
  return { code: res.status(), body: (await res.json()) as Health };
}

async function waitForPolls(app: App, atLeast: number): Promise<number[]> {
  let ids: number[] = [];
  await expect(async () => {
    ids = pollIds(app);
    expect(ids.length).toBeGreaterThanOrEqual(atLeast);
  }).toPass({ timeout: 20_000 });
  return ids;
}

test.describe("health tells the truth about the database", () => {
  test("a lock held by another connection: 503 database busy within the bound, then 200; no poll lost", async ({
    app,
    request,
  }) => {
    const before = await waitForPolls(app, 2);
    expect((await health(request, app)).code).toBe(200);
    const other = new Database(dbFile(app));
    other.exec("BEGIN EXCLUSIVE");
    try {
      // Two answers while the lock is held, each within the bound, each naming the lock.
      for (let i = 0; i < 2; i++) {
        const h = await health(request, app);
        expect(h.code).toBe(503);
        expect(h.body.status).toBe("degraded");
        expect(h.body.database.status).toBe("busy");
        expect(h.body.reasons.join(" ")).toMatch(/database busy \(locked/);
      }
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    await expect(async () => expect((await health(request, app)).code).toBe(200)).toPass({ timeout: 15_000 });
    // Polls resume, and the poll that waited for the lock was stored, not dropped.
    const after = await waitForPolls(app, before.length + 3);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(app.logs()).not.toContain("could not record the poll");
    expect((await health(request, app)).body.database.last_write).toMatchObject({
      ok: true,
      consecutive_failures: 0,
    });
  });

  test("a lock held past the collector's patience: the failed poll writes show in health, then recover", async ({
    app,
    request,
  }) => {
    const before = await waitForPolls(app, 2);
    const other = new Database(dbFile(app));
    other.exec("BEGIN EXCLUSIVE");
    try {
      await expect(async () => {
        const h = await health(request, app);
        expect(h.code).toBe(503);
        expect(h.body.database.last_write).toMatchObject({ ok: false });
        expect(h.body.database.last_write?.error).toMatch(/database busy \(locked/);
        expect(h.body.reasons.join(" ")).toMatch(/last poll write failed/);
      }).toPass({ timeout: 30_000 });
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    await expect(async () => expect((await health(request, app)).code).toBe(200)).toPass({ timeout: 15_000 });
    const after = await waitForPolls(app, before.length + 2);
    expect(after.slice(0, before.length)).toEqual(before);
  });

  test("writes refused by the kernel (SQLITE_IOERR_WRITE): 503 with the reason, 200 once writes work", async ({
    app,
    request,
  }) => {
    // A real fault: a file-size limit of 1 byte on the server process makes every write at an
    // offset past it fail with EFBIG (Node ignores SIGXFSZ), so SQLite gets a failed write().
    const before = await waitForPolls(app, 2);
    execFileSync("prlimit", ["--pid", String(app.pid), "--fsize=1:unlimited"]);
    try {
      await expect(async () => {
        const h = await health(request, app);
        expect(h.code).toBe(503);
        expect(h.body.database.status).toBe("error");
        expect(h.body.database.last_write).toMatchObject({ ok: false });
        expect(h.body.database.last_write?.consecutive_failures).toBeGreaterThanOrEqual(1);
        expect(h.body.reasons.join(" ")).toMatch(/last poll write failed .*(I\/O|disk|write)/i);
      }).toPass({ timeout: 30_000 });
    } finally {
      execFileSync("prlimit", ["--pid", String(app.pid), "--fsize=unlimited:unlimited"]);
    }
    await expect(async () => expect((await health(request, app)).code).toBe(200)).toPass({ timeout: 15_000 });
    const after = await waitForPolls(app, before.length + 2);
    expect(after.slice(0, before.length)).toEqual(before);
  });

  test("the banner names the database problem", async ({ app, page }) => {
    await waitForPolls(app, 1);
    await page.goto(`${app.url}/sources`);
    await expect(page.getByTestId("docker-status")).toContainText("Docker reachable");
    const other = new Database(dbFile(app));
    other.exec("BEGIN EXCLUSIVE");
    try {
      await expect(page.getByTestId("docker-status")).toContainText("Database busy", { timeout: 20_000 });
      await expect(page.getByTestId("docker-status")).toContainText("database busy (locked");
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
  });
});

test.describe("database files are private", () => {
  /** `npm start` (scripts/start.ts) under umask 022 with its own DATABASE_URL; returns its log. */
  async function startUnderUmask(databaseUrl: string, until: (log: string) => boolean): Promise<string> {
    const port = await freePort();
    const child = spawn(
      "sh",
      ["-c", `umask 022 && exec "${process.execPath}" --import tsx scripts/start.ts`],
      {
        env: {
          ...process.env,
          PORT: String(port),
          HOSTNAME: "127.0.0.1",
          DATABASE_URL: databaseUrl,
          DOCKER_HOST: "unix:///nonexistent/docker.sock",
          L9_REGISTRY_PATH: path.join(os.tmpdir(), "l9-no-registry.json"),
          L9_POLL_INTERVAL_MS: "1000",
          NEXT_TELEMETRY_DISABLED: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    try {
      await expect(async () => {
        expect(child.exitCode, out).toBeNull();
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => null);
        expect(res, out).not.toBeNull();
        expect(until(out), out).toBe(true);
      }).toPass({ timeout: 60_000 });
    } finally {
      child.kill("SIGTERM");
      if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    }
    return out;
  }

  const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

  test("a fresh database (folder, file, -wal, -shm) is created 0700/0600 under umask 022", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-modes-"));
    try {
      const data = path.join(dir, "data");
      const file = path.join(data, "l9-state.db");
      await startUnderUmask(
        `file:${file}`,
        () => fs.existsSync(`${file}-wal`) && fs.existsSync(`${file}-shm`),
      );
      expect(mode(data)).toBe("700");
      expect(mode(file)).toBe("600");
      expect(mode(`${file}-wal`)).toBe("600");
      expect(mode(`${file}-shm`)).toBe("600");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an existing world-readable database is tightened at start, with a log line", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-modes-"));
    try {
      const file = path.join(dir, "old.db");
      const db = new Database(file);
      db.pragma("journal_mode = WAL");
      db.close();
      fs.chmodSync(file, 0o644);
      const log = await startUnderUmask(`file:${file}`, (out) => out.includes("listening"));
      expect(mode(file)).toBe("600");
      expect(log).toContain(`tightened ${file} from 644 to 600`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Chromium browsers the server process started (its direct children named chromium). */
function chromiumChildren(pid: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid ...: comm may hold spaces, so split after its closing bracket.
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid && comm.startsWith("chromium")) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

async function signInAndStartReview(request: APIRequestContext, app: App): Promise<string> {
  expect((await request.post(`${app.url}/api/v1/session`, { data: { name: "ana" } })).status()).toBe(200);
  const review = await request.post(`${app.url}/api/v1/reviews`, { data: { phase: 0 } });
  expect(review.status()).toBe(201);
  return (await review.json()).id as string;
}

test.describe("PDF export when reading needs sign-in", () => {
  test.use({ appEnv: { L9_REQUIRE_SIGN_IN: "1" } });

  test("the PDF is rendered as the requester and holds the review", async ({ app, request }) => {
    test.setTimeout(120_000);
    await waitForPolls(app, 1);
    const id = await signInAndStartReview(request, app);
    const res = await request.get(`${app.url}/api/v1/reviews/${id}/export?format=pdf`, { timeout: 60_000 });
    expect(res.status(), app.logs().slice(-2000)).toBe(200);
    const file = path.join(app.dir, "signed-in.pdf");
    fs.writeFileSync(file, await res.body());
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    expect(text).toContain(`L9 State Health · Phase 0 review ${id}`);
    expect(text).toContain("Divergence rate below 5%");
    expect(text).not.toContain("Sign in to read");
    // Not signed in, nothing is rendered.
    const anonymous = await fetch(`${app.url}/api/v1/reviews/${id}/export?format=pdf`);
    expect(anonymous.status).toBe(401);
    expect(chromiumChildren(app.pid)).toEqual([]);
  });

  test("six exports at once: one Chromium renders, two wait, the rest get 429 with Retry-After", async ({
    app,
    request,
  }) => {
    test.setTimeout(180_000);
    await waitForPolls(app, 1);
    const id = await signInAndStartReview(request, app);
    let most = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        most = Math.max(most, chromiumChildren(app.pid).length);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        request.get(`${app.url}/api/v1/reviews/${id}/export?format=pdf`, { timeout: 150_000 }),
      ),
    );
    sampling = false;
    await sampler;
    const codes = answers.map((a) => a.status()).sort();
    const refused = answers.filter((a) => a.status() === 429);
    // One rendering and two waiting are served; whatever arrived beyond them was refused.
    expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(
      codes.every((c) => c === 200 || c === 429),
      codes.join(","),
    ).toBe(true);
    for (const a of refused) {
      expect(Number(a.headers()["retry-after"])).toBeGreaterThan(0);
      expect((await a.json()).error).toMatchObject({ code: "rate_limited" });
    }
    for (const a of answers.filter((x) => x.status() === 200)) {
      expect((await a.body()).subarray(0, 4).toString()).toBe("%PDF");
    }
    expect(most).toBe(1);
    expect(chromiumChildren(app.pid)).toEqual([]);
  });
});

test.describe("PDF export that cannot finish in time", () => {
  test.use({ appEnv: { L9_PDF_TIMEOUT_MS: "1" } });

  test("is stopped: 503 in the error envelope, and no Chromium is left behind", async ({ app, request }) => {
    await waitForPolls(app, 1);
    const id = await signInAndStartReview(request, app);
    const res = await request.get(`${app.url}/api/v1/reviews/${id}/export?format=pdf`, { timeout: 60_000 });
    expect(res.status()).toBe(503);
    expect((await res.json()).error).toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("L9_PDF_TIMEOUT_MS"),
    });
    await expect(async () => expect(chromiumChildren(app.pid)).toEqual([])).toPass({ timeout: 10_000 });
  });
});
