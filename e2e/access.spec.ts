// Who may write (CONTRACT 6g), tried from outside: pages on other origins in Chromium, a real
// OpenID provider, a proxy header from the wrong address, machines and people kept apart.
import http from "node:http";
import Database from "better-sqlite3";
import { expect, test } from "./support/fixtures";
import type { App } from "./support/app";
import { listen, startAppWithOidc } from "./support/oidc";

/** Counts of everything a write could have changed. */
function writes(app: App) {
  const db = new Database(app.databaseUrl.replace(/^file:/, ""), { readonly: true });
  try {
    const n = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    return {
      phases: n("PhaseChange"),
      reviews: n("Review"),
      instances: n("Instance"),
      reads: n("ReadEvent"),
      audit: n("AuditEntry"),
      acks: n("Acknowledgement"),
      channels: n("NotificationChannel"),
      signOffs: (db.prepare(`SELECT "signOffs" AS s FROM "Review"`).all() as { s: string }[]).map((r) => r.s),
    };
  } finally {
    db.close();
  }
}

/** A person signs in (local mode) in this request context; returns its cookie-carrying context. */
async function signInLocal(request: import("@playwright/test").APIRequestContext, app: App, name: string) {
  const res = await request.post(`${app.url}/api/v1/session`, { data: { name } });
  expect(res.status()).toBe(200);
}

const SNAPSHOT = {
  instance_id: "mcp-forged",
  started_at: "2026-11-27T10:00:00Z",
  taken_at: "2026-11-27T10:00:00Z",
  indexers: {},
};

test("a page on another origin cannot change anything, by fetch or by form", async ({ app, page }) => {
  // The victim is signed in, in this very browser.
  await signInLocal(page.request, app, "ana");
  const review = await page.request.post(`${app.url}/api/v1/reviews`, { data: { phase: 0 } });
  expect(review.status()).toBe(201);
  const id = (await review.json()).id as string;
  const before = writes(app);

  const targets: [string, string, unknown][] = [
    ["POST", "/api/v1/ingest/active-indexers", SNAPSHOT],
    ["POST", "/api/v1/ingest/read-events", { instance_id: "x", events: [] }],
    ["POST", "/api/v1/phases/current", { phase: 3, note: "by mallory" }],
    ["POST", "/api/v1/reviews", { phase: 0 }],
    ["PATCH", `/api/v1/reviews/${id}`, { decision: "advance" }],
    ["POST", `/api/v1/reviews/${id}/sign-off`, {}],
    ["POST", "/api/v1/session", { name: "mallory" }],
    ["DELETE", "/api/v1/session", {}],
    [
      "POST",
      "/api/v1/acknowledgements",
      { project: "*", reason: "hide it all", expires_at: "2099-01-01T00:00:00Z" },
    ],
    ["POST", "/api/v1/notifications/channels", { name: "evil", kind: "json", url: "http://127.0.0.1:9/x" }],
    ["POST", "/api/v1/notifications/test", { channel: "evil" }],
  ];
  const attack = `<!doctype html><title>attack</title><body><script>
    const app = ${JSON.stringify(app.url)};
    const targets = ${JSON.stringify(targets)};
    const tries = [];
    for (const [method, path, body] of targets) {
      // What any page can send without a preflight: text/plain and form bodies, with cookies.
      for (const type of ["text/plain", "application/x-www-form-urlencoded"]) {
        tries.push(fetch(app + path, { method, mode: "no-cors", credentials: "include",
          headers: { "content-type": type }, body: JSON.stringify(body) }).catch(() => null));
      }
      // JSON needs a preflight, which this app never grants.
      tries.push(fetch(app + path, { method, credentials: "include",
        headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).catch(() => null));
      if (method === "POST") {
        for (const enctype of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]) {
          const frame = document.createElement("iframe");
          frame.name = "f" + tries.length;
          document.body.appendChild(frame);
          const form = document.createElement("form");
          form.method = "POST"; form.action = app + path; form.enctype = enctype; form.target = frame.name;
          const input = document.createElement("input");
          input.name = JSON.stringify(body).slice(0, -1) + ',"x":"'; input.value = '"}';
          form.appendChild(input); document.body.appendChild(form);
          tries.push(new Promise((r) => { frame.onload = r; setTimeout(r, 3000); }));
          form.submit();
        }
      }
    }
    Promise.allSettled(tries).then(() => { document.title = "done"; });
  </script></body>`;
  const evil = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(attack);
  });
  // Same site but another origin (127.0.0.1, another port), and another site (localhost).
  const port = await listen(evil);
  try {
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      await page.goto(`${origin}/`);
      await expect(page).toHaveTitle("done", { timeout: 20_000 });
    }
  } finally {
    evil.close();
  }
  expect(writes(app)).toEqual(before);
  // And the victim is still signed in as herself.
  const session = await (await page.request.get(`${app.url}/api/v1/session`)).json();
  expect(session.person).toMatchObject({ id: "ana", via: "local" });
});

test("writes are JSON only, and refused with the envelope otherwise", async ({ app, request }) => {
  await signInLocal(request, app, "ana");
  const res = await request.post(`${app.url}/api/v1/phases/current`, {
    headers: { "content-type": "text/plain" },
    data: JSON.stringify({ phase: 1 }),
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error).toMatchObject({
    code: "forbidden",
    message: expect.stringMatching(/application\/json/),
  });
  const ingest = await request.post(`${app.url}/api/v1/ingest/active-indexers`, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: "a=b",
  });
  expect(ingest.status()).toBe(403);
});

test("people sign in before they write; the record names them, never a typed name", async ({
  app,
  request,
}) => {
  const anonymous = await request.post(`${app.url}/api/v1/phases/current`, { data: { phase: 1 } });
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error.code).toBe("unauthorized");
  await signInLocal(request, app, "Ana");
  const typed = await request.post(`${app.url}/api/v1/phases/current`, {
    data: { phase: 1, set_by: "mallory" },
  });
  expect(typed.status()).toBe(400);
  expect((await typed.json()).error.field).toBe("set_by");
  const ok = await request.post(`${app.url}/api/v1/phases/current`, {
    data: { phase: 1, note: "labels shipped" },
  });
  expect(ok.status()).toBe(201);
  expect((await ok.json()).history[0]).toMatchObject({ phase: 1, set_by: "ana", note: "labels shipped" });
  // A person's session cannot ingest.
  const asPerson = await request.post(`${app.url}/api/v1/ingest/active-indexers`, { data: SNAPSHOT });
  expect(asPerson.status()).toBe(403);
  const audit = await (await request.get(`${app.url}/api/v1/audit`)).json();
  expect(audit.entries).toEqual([
    expect.objectContaining({
      actor: "ana",
      via: "local",
      action: "phase.set",
      target: "phase:1",
      from: "127.0.0.1",
    }),
  ]);
});

test("a sign-off is always the signer's own; an advance waits for enough of them", async ({
  app,
  request,
}) => {
  await signInLocal(request, app, "ana");
  const r = await (await request.post(`${app.url}/api/v1/reviews`, { data: { phase: 0 } })).json();
  expect(r.created_by).toBe("ana");
  const forOther = await request.post(`${app.url}/api/v1/reviews/${r.id}/sign-off`, { data: { as: "ben" } });
  expect(forOther.status()).toBe(403);
  expect((await forOther.json()).error.message).toMatch(/always your own/);
  const typed = await request.patch(`${app.url}/api/v1/reviews/${r.id}`, { data: { sign_offs: ["ben"] } });
  expect(typed.status()).toBe(400);
  // A decision needs attendees; advancing a phase that is not ready needs a rationale and a
  // confirmation; and an advance waits for its sign-offs.
  const url = `${app.url}/api/v1/reviews/${r.id}`;
  const noAttendees = await request.patch(url, { data: { decision: "hold" } });
  expect((await noAttendees.json()).error.field).toBe("attendees");
  const why = "the registry entries are understood and acknowledged; Docker agrees everywhere else";
  const noRationale = await request.patch(url, { data: { decision: "advance", attendees: ["ana"] } });
  expect((await noRationale.json()).error.field).toBe("rationale");
  const noConfirm = await request.patch(url, {
    data: { decision: "advance", attendees: ["ana"], rationale: why },
  });
  expect((await noConfirm.json()).error.field).toBe("confirm_not_ready");
  const advance = {
    decision: "advance",
    attendees: ["ana"],
    rationale: why,
    confirm_not_ready: true,
    record_phase: true,
  };
  const early = await request.patch(url, { data: advance });
  expect(early.status()).toBe(409);
  expect((await early.json()).error.message).toMatch(/needs 1 distinct sign-off/);
  const signed = await request.post(`${app.url}/api/v1/reviews/${r.id}/sign-off`, { data: {} });
  expect(signed.status()).toBe(201);
  expect((await signed.json()).sign_offs).toEqual([
    expect.objectContaining({ by: "ana", name: "ana", via: "local", at: expect.stringMatching(/Z$/) }),
  ]);
  const decided = await request.patch(url, {
    data: {
      ...advance,
      action_items: [{ text: "clean the ghost entry", owner: "ben", due: "2026-12-04T00:00:00Z" }],
    },
  });
  expect(decided.status()).toBe(200);
  expect(await decided.json()).toMatchObject({ decision: "advance", decided_by: "ana", rationale: why });
  // The decision recorded the phase change in the same step.
  const phases = await (await request.get(`${app.url}/api/v1/phases`)).json();
  expect(phases.current_phase).toBe(1);
  expect(phases.history[0]).toMatchObject({ phase: 1, set_by: "ana" });
  const md = await (await request.get(`${app.url}/api/v1/reviews/${r.id}/export?format=md`)).text();
  expect(md).toMatch(/- ana via local at \d{4}-\d{2}-\d{2}T/);
  const actions = (await (await request.get(`${app.url}/api/v1/audit`)).json()).entries.map(
    (e: { action: string }) => e.action,
  );
  expect(actions).toEqual(["phase.set", "review.decide", "review.sign_off", "review.start"]);
  expect(md).toContain("- Rationale: the registry entries are understood");
  expect(md).toContain("- [ ] clean the ghost entry — ben, due 2026-12-04");
});

test.describe("machines and people stay apart", () => {
  test.use({ appEnv: { L9_INGEST_TOKEN: "ci-host:tok-ci-1234,laptop:tok-lap-5678" } });
  test("a token ingests (and the source says which); the same token cannot act as a person", async ({
    app,
    request,
  }) => {
    const auth = { authorization: "Bearer tok-lap-5678" };
    const ok = await request.post(`${app.url}/api/v1/ingest/active-indexers`, {
      headers: auth,
      data: SNAPSHOT,
    });
    expect(ok.status()).toBe(202);
    await expect(async () => {
      const s = await (await request.get(`${app.url}/api/v1/state`)).json();
      expect(s.sources.find((x: { id: string }) => x.id === "active_indexers:mcp-forged")?.via).toBe(
        "push:laptop",
      );
    }).toPass({ timeout: 10_000 });
    for (const [path, data] of [
      ["/api/v1/reviews", { phase: 0 }],
      ["/api/v1/phases/current", { phase: 2 }],
    ] as const) {
      const res = await request.post(`${app.url}${path}`, { headers: auth, data });
      expect(res.status()).toBe(403);
      expect((await res.json()).error.message).toMatch(/machine token cannot act as a person/);
    }
    expect(writes(app)).toMatchObject({ phases: 0, reviews: 0, audit: 0 });
  });
});

test.describe("behind a trusted proxy", () => {
  test.use({ appEnv: { L9_AUTH_PROXY_HEADER: "X-Forwarded-Email", L9_AUTH_PROXY_TRUSTED: "127.0.0.2" } });
  test("the header counts from the proxy's address only", async ({ app }) => {
    const post = (localAddress: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL(`${app.url}/api/v1/phases/current`);
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            localAddress,
            headers: { "content-type": "application/json", "x-forwarded-email": "Ana@Example.test" },
          },
          (res) => {
            let body = "";
            res.on("data", (d: Buffer) => (body += d.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify({ phase: 2 }));
      });
    const untrusted = await post("127.0.0.1");
    expect(untrusted.status).toBe(401);
    const trusted = await post("127.0.0.2");
    expect(trusted.status).toBe(201);
    expect(JSON.parse(trusted.body).history[0]).toMatchObject({ phase: 2, set_by: "ana@example.test" });
    expect(writes(app)).toMatchObject({ phases: 1, audit: 1 });
  });
});

test("OpenID Connect: Chromium signs in through a real provider, and the identity signs off", async ({
  fleet,
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const { app, close } = await startAppWithOidc({
    DOCKER_HOST: `unix://${fleet.socketPath}`,
    L9_LABEL_SELECTOR: fleet.selector,
    L9_EDITORS: "ana@example.test",
  });
  try {
    await page.goto(`${app.url}/phases`);
    await page.getByRole("banner").getByRole("link", { name: "Sign in" }).click();
    await page.locator('input[name="login"]').fill("ana");
    await page.locator('input[name="password"]').fill("any");
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click(); // consent
    await expect(page).toHaveURL(`${app.url}/phases`);
    await expect(page.getByTestId("signed-in")).toContainText("ANA");
    const session = await (await page.request.get(`${app.url}/api/v1/session`)).json();
    expect(session.person).toMatchObject({ id: "ana@example.test", via: "oidc", editor: true });
    // The same person starts a review and signs off with their own click.
    await page.getByRole("button", { name: /Start a review of Phase 0/ }).click();
    await expect(page).toHaveURL(/\/reviews\/[0-9a-f]+$/);
    await page.getByRole("button", { name: "Sign off as ANA" }).click();
    await expect(page.getByTestId("sign-offs")).toContainText("ANA <ana@example.test>");
    expect(writes(app).audit).toBe(2);
    // A sealed cookie from local mode or a forged one means nothing here.
    const forged = await request.post(`${app.url}/api/v1/phases/current`, {
      headers: { cookie: "l9_session=Fe26.2**forged" },
      data: { phase: 1 },
    });
    expect(forged.status()).toBe(401);
  } finally {
    await close();
  }
});

test.describe("when reading needs sign-in too", () => {
  test.use({ appEnv: { L9_REQUIRE_SIGN_IN: "1" } });
  test("pages go to /sign-in and the API answers 401 until someone signs in; health stays open", async ({
    app,
    page,
    request,
  }) => {
    expect((await request.get(`${app.url}/api/v1/state`)).status()).toBe(401);
    expect((await request.get(`${app.url}/api/v1/health`)).status()).toBe(200);
    // Agents' deliveries are machines' writes with their own token rule: the sign-in gate does
    // not stand in front of them (this app is no server, so the route itself answers 409).
    const delivery = await request.post(`${app.url}/api/v1/agent/polls`, {
      data: { host: "ana", polls: [] },
    });
    expect(delivery.status()).toBe(409);
    expect(await delivery.text()).toContain("L9_ROLE=server");
    await page.goto(`${app.url}/sources`);
    await expect(page).toHaveURL(/\/sign-in\?back=%2Fsources$/);
    const main = page.getByRole("main");
    await main.getByRole("button", { name: "Sign in", exact: true }).click();
    await main.getByLabel("Your name").fill("ana");
    await main.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${app.url}/sources`);
    await expect(page.getByRole("heading", { name: "Sources", exact: true })).toBeVisible();
    expect((await page.request.get(`${app.url}/api/v1/state`)).status()).toBe(200);
  });
});
