// Issue 28, tried as an attacker would against the built app on loopback: one local identity,
// refusals at start-up, the Host rule on reads (DNS rebinding), same-origin back= after sign-in
// (real Chromium, a real OpenID provider), bad cookies and Host headers, and frames.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { sealData } from "iron-session";
import { expect, test } from "./support/fixtures";
import { freePort, type App } from "./support/app";
import { listen, startAppWithOidc } from "./support/oidc";

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: string };

/**
 * One request with exactly the headers given (node:http, no Host of its own: fetch would not
 * send `Host: evil.example` or `Host: a b`). `headOnly` stops at the head (the event stream).
 */
function raw(
  app: App,
  p: string,
  headers: Record<string, string>,
  opts: { method?: string; body?: string; headOnly?: boolean } = {},
): Promise<Raw> {
  const url = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: p,
        method: opts.method ?? "GET",
        setHost: false,
        headers: { host: url.host, ...headers },
      },
      (res) => {
        if (opts.headOnly) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" });
          res.destroy();
          return;
        }
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

const jsonWrite = (body: unknown) => ({
  method: "POST",
  body: JSON.stringify(body),
});
const JSON_TYPE = { "content-type": "application/json" };

test.describe("local mode: one identity per installation", () => {
  test("the first name is kept; another is refused and cannot sign off a second time", async ({
    app,
    request,
    playwright,
  }) => {
    const first = await request.post(`${app.url}/api/v1/session`, { data: { name: "Ana" } });
    expect(first.status()).toBe(200);
    const review = await (await request.post(`${app.url}/api/v1/reviews`, { data: { phase: 0 } })).json();
    expect(
      (await request.post(`${app.url}/api/v1/reviews/${review.id}/sign-off`, { data: {} })).status(),
    ).toBe(201);

    // The same person, or anyone, in another browser: another name is refused, clearly.
    const other = await playwright.request.newContext();
    try {
      const ben = await other.post(`${app.url}/api/v1/session`, { data: { name: "ben" } });
      expect(ben.status()).toBe(409);
      expect((await ben.json()).error).toMatchObject({
        code: "conflict",
        field: "name",
        message: expect.stringMatching(
          /local user is "Ana": local mode has one identity.*L9_OIDC_.*L9_AUTH_PROXY_HEADER/,
        ),
      });
      expect((await (await other.get(`${app.url}/api/v1/session`)).json()).person).toBeNull();
      const signOff = await other.post(`${app.url}/api/v1/reviews/${review.id}/sign-off`, { data: {} });
      expect(signOff.status()).toBe(401);
      // The kept name in any case signs in as that one identity, shown as first given.
      const again = await other.post(`${app.url}/api/v1/session`, { data: { name: "ANA" } });
      expect(again.status()).toBe(200);
      expect((await again.json()).person).toMatchObject({ id: "ana", name: "Ana" });
      // Signing off again is the same person's sign-off: still one.
      const twice = await other.post(`${app.url}/api/v1/reviews/${review.id}/sign-off`, { data: {} });
      expect((await twice.json()).sign_offs.map((s: { by: string }) => s.by)).toEqual(["ana"]);
    } finally {
      await other.dispose();
    }
    const after = await (await request.get(`${app.url}/api/v1/reviews/${review.id}`)).json();
    expect(after.sign_offs.map((s: { by: string }) => s.by)).toEqual(["ana"]);
  });

  test("a session sealed under another local name (from before the rule) counts for nothing", async ({
    app,
    request,
  }) => {
    expect((await request.post(`${app.url}/api/v1/session`, { data: { name: "ana" } })).status()).toBe(200);
    // The app's own secret, kept beside its database: a genuine cookie, not a forged one.
    const secret = fs.readFileSync(path.join(app.dir, ".l9-session-secret"), "utf8").trim();
    const ben = { id: "ben", name: "ben", email: null, groups: [], via: "local" };
    const cookie = `l9_session=${encodeURIComponent(await sealData(ben, { password: secret, ttl: 3600 }))}`;
    const session = await raw(app, "/api/v1/session", { cookie });
    expect(JSON.parse(session.body).person).toBeNull();
    const write = await raw(app, "/api/v1/phases/current", { cookie, ...JSON_TYPE }, jsonWrite({ phase: 1 }));
    expect(write.status).toBe(401);
  });

  test("npm start refuses editors and several sign-offs without OpenID Connect or a proxy", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-start-"));
    const port = await freePort();
    // Resolves with the exit code and output, or with "started" once the configuration passed
    // (the line npm start prints after validating): then it is stopped, before it builds.
    const start = (vars: Record<string, string>) =>
      new Promise<{ code: number | "started"; out: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
          env: { ...process.env, PORT: String(port), DATABASE_URL: `file:${dir}/app.db`, ...vars },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        const take = (d: Buffer) => {
          out += d.toString();
          if (out.includes("[start]")) {
            child.kill("SIGTERM");
            resolve({ code: "started", out });
          }
        };
        child.stdout.on("data", take);
        child.stderr.on("data", take);
        child.on("exit", (code) => resolve({ code: code ?? -1, out }));
      });
    try {
      const editors = await start({ L9_EDITORS: "ana,ben" });
      expect(editors.code).toBe(2);
      expect(editors.out).toMatch(/L9_EDITORS: editors are people: local mode has one identity/);
      const signOffs = await start({ L9_REVIEW_MIN_SIGN_OFFS: "2" });
      expect(signOffs.code).toBe(2);
      expect(signOffs.out).toMatch(
        /L9_REVIEW_MIN_SIGN_OFFS: 2 distinct sign-offs need as many people: .*OpenID Connect \(L9_OIDC_\*\) or a trusted proxy header/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.describe("the Host header on a loopback-only instance (DNS rebinding)", () => {
  test("reads and writes answer only to loopback names; anything else is refused", async ({ app }) => {
    const port = new URL(app.url).port;
    for (const host of [
      "evil.example",
      `evil.example:${port}`,
      "localhost.evil.example",
      "127.0.0.1.nip.io",
    ]) {
      for (const p of ["/api/v1/state", "/api/v1/overview", "/api/v1/audit", "/api/v1/health", "/metrics"]) {
        const r = await raw(app, p, { host });
        expect(r.status, `${host} ${p}`).toBe(403);
        expect(JSON.parse(r.body).error).toMatchObject({
          code: "forbidden",
          message: expect.stringMatching(/loopback-only: address it as 127\.0\.0\.1 or localhost/),
        });
      }
      const stream = await raw(app, "/api/v1/stream", { host });
      expect(stream.status).toBe(403);
      expect(stream.headers["content-type"]).toMatch(/^application\/json/);
      for (const p of ["/", "/phases", "/sign-in", "/projects/alpha"]) {
        const page = await raw(app, p, { host });
        expect(page.status, `${host} ${p}`).toBe(403);
        expect(page.headers["content-type"]).toMatch(/^text\/html/);
        expect(page.body).toContain("loopback-only");
        expect(page.body).not.toContain("L9 State Health");
      }
      const write = await raw(app, "/api/v1/session", { host, ...JSON_TYPE }, jsonWrite({ name: "ana" }));
      expect(write.status).toBe(403);
    }
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      "127.0.0.1",
      "localhost:1",
    ]) {
      expect((await raw(app, "/api/v1/state", { host })).status, host).toBe(200);
      expect((await raw(app, "/", { host })).status, host).toBe(200);
    }
  });
});

test.describe("bad input in headers is a 4xx, never a 500", () => {
  test("a Host header that is no host:port is 400 in the envelope, for pages, the API and writes", async ({
    app,
  }) => {
    for (const host of ["a b", "127.0.0.1 evil", "127.0.0.1@evil.example"]) {
      const api = await raw(app, "/api/v1/state", { host });
      expect(api.status, host).toBe(400);
      expect(JSON.parse(api.body).error).toMatchObject({ code: "bad_request", message: /Host header/ });
      const page = await raw(app, "/", { host });
      expect(page.status, host).toBe(400);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
      const write = await raw(app, "/api/v1/session", { host, ...JSON_TYPE }, jsonWrite({ name: "ana" }));
      expect(write.status, host).toBe(400);
      expect(JSON.parse(write.body).error.code).toBe("bad_request");
    }
  });

  const BAD_COOKIES = [
    "l9_session=%E0%A4%A",
    "l9_session=%ZZ",
    "l9_login=%E0%A4%A; l9_session=%",
    "other=%E0%A4%A; l9_session=%E0%A4%A",
  ];

  test("a cookie with broken %-escapes is ignored, as if absent", async ({ app }) => {
    for (const cookie of BAD_COOKIES) {
      expect((await raw(app, "/", { cookie })).status, cookie).toBe(200);
      expect((await raw(app, "/api/v1/state", { cookie })).status, cookie).toBe(200);
      const session = await raw(app, "/api/v1/session", { cookie });
      expect(session.status, cookie).toBe(200);
      expect(JSON.parse(session.body).person).toBeNull();
      const write = await raw(
        app,
        "/api/v1/phases/current",
        { cookie, ...JSON_TYPE },
        jsonWrite({ phase: 1 }),
      );
      expect(write.status, cookie).toBe(401);
      expect(JSON.parse(write.body).error.code).toBe("unauthorized");
      const signIn = await raw(app, "/api/v1/session", { cookie, ...JSON_TYPE }, jsonWrite({ name: "ana" }));
      expect(signIn.status, cookie).toBe(200);
    }
  });

  // Found by the fuzz suite: a path segment with broken %-escapes reached the route's params as a 500.
  test("a path with broken %-escapes is a 400 in the envelope, never a 500", async ({ app }) => {
    const paths = [
      ["PATCH", "/api/v1/acknowledgements/%E0%A4%A"],
      ["DELETE", "/api/v1/notifications/channels/%E0"],
      ["GET", "/api/v1/projects/%E0%A4%A"],
      ["GET", "/projects/%E0%A4%A"],
      ["GET", "/api/v1/reviews/%ZZ"],
    ] as const;
    for (const [method, p] of paths) {
      const r = await raw(app, p, { ...JSON_TYPE }, method === "PATCH" ? { method, body: "{}" } : { method });
      expect(r.status, `${method} ${p}`).toBe(400);
      if (p.startsWith("/api/")) expect(JSON.parse(r.body).error.code, p).toBe("bad_request");
    }
  });

  test.describe("when reading needs sign-in", () => {
    test.use({ appEnv: { L9_REQUIRE_SIGN_IN: "1" } });
    test("a broken cookie means not signed in: pages go to /sign-in, the API is 401", async ({ app }) => {
      for (const cookie of BAD_COOKIES) {
        const page = await raw(app, "/sources", { cookie });
        expect(page.status, cookie).toBe(307);
        expect(page.headers.location).toMatch(/\/sign-in\?back=%2Fsources$/);
        const api = await raw(app, "/api/v1/state", { cookie });
        expect(api.status, cookie).toBe(401);
        expect(JSON.parse(api.body).error.code).toBe("unauthorized");
      }
    });
  });
});

/** Hostile back= values: each reads as another host to a browser. */
const hostileBacks = (evilHost: string) => [
  `/%5C${evilHost}/x`,
  `/%09/${evilHost}/x`,
  `/%5C%5C${evilHost}/x`,
];

/** A second origin on loopback, standing for the attacker's site: it records who arrived. */
async function evilSite(home = "<!doctype html><title>evil</title><p>evil site</p>") {
  const hits: string[] = [];
  const srv = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    res.writeHead(200, { "content-type": "text/html" });
    res.end(req.url === "/" ? home : "<!doctype html><title>evil</title><p>evil site</p>");
  });
  const port = await listen(srv);
  return { host: `127.0.0.1:${port}`, hits, close: () => srv.close() };
}

test.describe("back= after sign-in stays on this origin (Chromium)", () => {
  test.use({ appEnv: { L9_REQUIRE_SIGN_IN: "1" } });
  test("the sign-in page", async ({ app, browser }) => {
    const evil = await evilSite();
    try {
      for (const back of hostileBacks(evil.host)) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${app.url}/sign-in?back=${back}`);
        const main = page.getByRole("main");
        await main.getByRole("button", { name: "Sign in", exact: true }).click();
        await main.getByLabel("Your name").fill("ana");
        await main.getByRole("button", { name: "Sign in", exact: true }).click();
        // Wherever the browser is sent (here or the other site), then: it must be here.
        await page.waitForURL((u) => u.pathname !== "/sign-in");
        expect(page.url(), back).toBe(`${app.url}/`);
        await expect(page.getByRole("banner").getByTestId("signed-in")).toContainText("ana");
        await context.close();
      }
      expect(evil.hits).toEqual([]);
    } finally {
      evil.close();
    }
  });
});

test("back= through OpenID Connect (login, provider, callback) stays on this origin", async ({
  fleet,
  browser,
}) => {
  test.setTimeout(120_000);
  const { app, issuer, close } = await startAppWithOidc({
    DOCKER_HOST: `unix://${fleet.socketPath}`,
    L9_LABEL_SELECTOR: fleet.selector,
  });
  const evil = await evilSite();
  try {
    for (const back of [...hostileBacks(evil.host), `//${evil.host}/x`, `http://${evil.host}/x`]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${app.url}/api/auth/login?back=${back}`);
      await page.locator('input[name="login"]').fill("ana");
      await page.locator('input[name="password"]').fill("any");
      await page.locator('button[type="submit"]').click();
      await page.locator('button[type="submit"]').click(); // consent
      // Wherever the callback sends the browser (here or the other site), then: it must be here.
      await page.waitForURL((u) => u.origin !== issuer && !u.pathname.startsWith("/api/auth/"));
      expect(page.url(), back).toBe(`${app.url}/`);
      await expect(page.getByRole("banner").getByTestId("signed-in")).toContainText("ANA");
      await context.close();
    }
    // A same-origin back= is kept.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/api/auth/login?back=${encodeURIComponent("/sources?tz=utc")}`);
    await page.locator('input[name="login"]').fill("ana");
    await page.locator('input[name="password"]').fill("any");
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${app.url}/sources?tz=utc`);
    await context.close();
    expect(evil.hits).toEqual([]);
  } finally {
    evil.close();
    await close();
  }
});

test.describe("frames and other response headers", () => {
  const HEADERS = {
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
  };

  test("every kind of response carries them: pages, API, errors, refusals, the event stream", async ({
    app,
  }) => {
    const cases: [
      string,
      string,
      Record<string, string>,
      { method?: string; body?: string; headOnly?: boolean },
      number,
    ][] = [
      ["a page", "/", {}, {}, 200],
      ["the sign-in page", "/sign-in", {}, {}, 200],
      ["a page not found", "/no-such-page", {}, {}, 404],
      ["the API", "/api/v1/state", {}, {}, 200],
      ["health", "/api/v1/health", {}, {}, 200],
      ["metrics", "/metrics", {}, {}, 200],
      ["an API error (400 envelope)", "/api/v1/phases?window=soon", {}, {}, 400],
      ["an API 404", "/api/v1/projects/never-seen", {}, {}, 404],
      ["a refused write (401)", "/api/v1/phases/current", JSON_TYPE, jsonWrite({ phase: 1 }), 401],
      [
        "a refused write (403)",
        "/api/v1/phases/current",
        { "content-type": "text/plain" },
        jsonWrite({}),
        403,
      ],
      ["a refused Host", "/api/v1/state", { host: "evil.example" }, {}, 403],
      ["a bad Host", "/", { host: "a b" }, {}, 400],
      ["the event stream", "/api/v1/stream", {}, { headOnly: true }, 200],
    ];
    for (const [name, p, headers, opts, status] of cases) {
      const r = await raw(app, p, headers, opts);
      expect(r.status, name).toBe(status);
      expect(r.headers, name).toMatchObject(HEADERS);
    }
  });

  test("a page on another origin cannot frame the app (Chromium)", async ({ app, page }) => {
    const evil = await evilSite(
      `<!doctype html><title>framing</title><body><script>
        let loaded = 0;
        for (const src of ${JSON.stringify([`${app.url}/`, `${app.url}/phases`, `${app.url}/api/v1/state`, "/framable"])}) {
          const f = document.createElement("iframe");
          f.src = src;
          f.onload = () => { if (++loaded === 4) document.title = "loaded"; };
          document.body.appendChild(f);
        }
      </script></body>`,
    );
    try {
      await page.goto(`http://${evil.host}/`);
      await expect(page).toHaveTitle("loaded");
      const frames = page.mainFrame().childFrames();
      expect(frames).toHaveLength(4);
      // The control: a frame of the attacker's own origin loads.
      const own = frames.find((f) => f.url().endsWith("/framable"));
      expect(await own?.locator("p").textContent()).toBe("evil site");
      for (const f of frames.filter((f) => f !== own)) {
        expect(f.url().startsWith(app.url), f.url()).toBe(false);
      }
    } finally {
      evil.close();
    }
  });
});
