// Issue 28: webhooks that cannot reach inside. The built app, real webhook receivers on
// loopback (node http servers), and the private dockerd reached over loopback TCP through a
// recording proxy that forwards only GETs (so even a broken build could never write to Docker).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { freePort, startApp, type App } from "./support/app";

type Hit = { method: string; url: string; authorization?: string; body: string };
type Server = { port: number; hits: Hit[]; close: () => Promise<void> };

/** A webhook receiver: records every request, answers 200 (or what `answer` says). */
function receiver(
  host = "127.0.0.1",
  answer: (res: http.ServerResponse) => void = (res) => res.writeHead(200).end(),
): Promise<Server> {
  const hits: Hit[] = [];
  const srv = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      hits.push({
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: req.headers.authorization,
        body,
      });
      answer(res);
    });
  });
  return new Promise((resolve) =>
    srv.listen(0, host, () =>
      resolve({
        port: (srv.address() as AddressInfo).port,
        hits,
        close: () =>
          new Promise((r) => {
            srv.closeAllConnections();
            srv.close(() => r());
          }),
      }),
    ),
  );
}

/** The private dockerd on loopback TCP: GETs forwarded to its socket; anything else recorded and refused. */
function dockerOverTcp(socketPath: string): Promise<Server> {
  const writes: Hit[] = [];
  const proxy = http.createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      writes.push({ method: req.method ?? "", url: req.url ?? "", body: "" });
      res.writeHead(403).end();
      return;
    }
    const up = http.request({ socketPath, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on("error", () => res.destroy());
    res.on("close", () => up.destroy());
    req.pipe(up);
  });
  return new Promise((resolve) =>
    proxy.listen(0, "127.0.0.1", () =>
      resolve({
        port: (proxy.address() as AddressInfo).port,
        hits: writes,
        close: () =>
          new Promise((r) => {
            proxy.closeAllConnections();
            proxy.close(() => r());
          }),
      }),
    ),
  );
}

type Delivery = { channel: string; event: string; status: string; attempts: number; error: string | null };
type Notifications = {
  channels: { name: string; url_hint: string; refused: string | null }[];
  deliveries: Delivery[];
  errors_shown: boolean;
};

const notifications = async (r: APIRequestContext, app: App) =>
  (await (await r.get(`${app.url}/api/v1/notifications`)).json()) as Notifications;

async function signIn(r: APIRequestContext, app: App, name = "ana") {
  expect((await r.post(`${app.url}/api/v1/session`, { data: { name } })).status()).toBe(200);
}

const addChannel = (r: APIRequestContext, app: App, name: string, url: string) =>
  r.post(`${app.url}/api/v1/notifications/channels`, { data: { name, kind: "json", url } });

const sendTest = (r: APIRequestContext, app: App, channel: string) =>
  r.post(`${app.url}/api/v1/notifications/test`, { data: { channel } });

/** The latest delivery of a channel once it has finished (sent or failed). */
async function finished(
  r: APIRequestContext,
  app: App,
  channel: string,
  timeout = 15_000,
): Promise<Delivery> {
  let d: Delivery | undefined;
  await expect
    .poll(
      async () => {
        d = (await notifications(r, app)).deliveries.find((x) => x.channel === channel);
        return d?.status;
      },
      { timeout },
    )
    .toMatch(/^(sent|failed)$/);
  return d!;
}

const LOOPBACK_RULE = /^url: refused: (loopback|unspecified) address not in L9_WEBHOOK_ALLOWED_HOSTS: /;

test("a channel to an unlisted loopback, private, decimal or IPv6 address is a 400 naming the rule; nothing is sent", async ({
  fleet,
  request,
}) => {
  const v4 = await receiver("127.0.0.1");
  const v6 = await receiver("::1");
  const app = await startApp({
    DOCKER_HOST: `unix://${fleet.socketPath}`,
    L9_LABEL_SELECTOR: fleet.selector,
    L9_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1:1",
  });
  try {
    await signIn(request, app);
    // Reachable here (loopback): each would arrive at a receiver if it were accepted.
    const loopback = [
      `http://127.0.0.1:${v4.port}/x`,
      `http://localhost:${v4.port}/x`,
      `http://2130706433:${v4.port}/x`,
      `http://0177.0.0.1:${v4.port}/x`,
      `http://0x7f000001:${v4.port}/x`,
      `http://127.1:${v4.port}/x`,
      `http://[::ffff:127.0.0.1]:${v4.port}/x`,
      `http://0.0.0.0:${v4.port}/x`,
      `http://[::1]:${v6.port}/x`,
      `http://[::]:${v6.port}/x`,
    ];
    for (const [i, url] of loopback.entries()) {
      const res = await addChannel(request, app, `lo-${i}`, url);
      expect.soft(res.status(), url).toBe(400);
      const { error } = await res.json();
      expect.soft(error?.field, url).toBe("url");
      expect.soft(error?.message, url).toMatch(LOOPBACK_RULE);
      expect.soft((await sendTest(request, app, `lo-${i}`)).status(), url).toBe(404);
    }
    // Never connected to (the workplace sends nothing beyond loopback): refused when saved.
    const inside: [string, string][] = [
      ["http://10.0.0.1/x", "private"],
      ["http://172.17.0.2:8080/x", "private"],
      ["http://192.168.1.1/x", "private"],
      ["http://169.254.169.254/latest/meta-data/", "link-local"],
      ["http://100.64.0.1/x", "shared \\(carrier-grade NAT\\)"],
      ["http://[fd00::1]/x", "unique local \\(private\\)"],
      ["http://[fe80::1]/x", "link-local"],
      ["http://[::ffff:10.0.0.1]/x", "private"],
      ["http://224.0.0.1/x", "multicast"],
      ["http://167772161/x", "private"],
    ];
    for (const [i, [url, range]] of inside.entries()) {
      const res = await addChannel(request, app, `in-${i}`, url);
      expect.soft(res.status(), url).toBe(400);
      expect
        .soft((await res.json()).error?.message, url)
        .toMatch(new RegExp(`^url: refused: ${range} address not in L9_WEBHOOK_ALLOWED_HOSTS`));
    }
    expect((await notifications(request, app)).channels).toEqual([]);
    expect(v4.hits).toEqual([]);
    expect(v6.hits).toEqual([]);
  } finally {
    await app.stop();
    await v4.close();
    await v6.close();
  }
});

test("a listed receiver gets deliveries; the settings page shows the redacted URL and a refusal's rule", async ({
  fleet,
  page,
}) => {
  const hook = await receiver();
  const unlisted = await freePort();
  const app = await startApp({
    DOCKER_HOST: `unix://${fleet.socketPath}`,
    L9_LABEL_SELECTOR: fleet.selector,
    L9_WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${hook.port}`,
  });
  try {
    await signIn(page.request, app);
    await page.goto(`${app.url}/settings`);
    const add = async (name: string, url: string) => {
      await page.getByLabel("Channel name").fill(name);
      await page.getByLabel("Channel format").selectOption("json");
      await page.getByLabel("Webhook URL").fill(url);
      await page.getByRole("button", { name: "Add channel" }).click();
    };
    await add(
      "team",
      `http://hook-user:s3cr3t-pass@127.0.0.1:${hook.port}/services/T0/very-secret-token?token=qs-secret`,
    );
    const row = page.getByTestId("channels").getByRole("row", { name: /team/ });
    await expect(row).toContainText(`http://***@127.0.0.1:${hook.port}/…oken?…`);
    await expect(page.getByTestId("channels")).not.toContainText(/s3cr3t|hook-user|qs-secret/);
    await row.getByRole("button", { name: "Send a test" }).click();
    await expect.poll(() => hook.hits.length).toBe(1);
    expect(hook.hits[0]).toMatchObject({
      method: "POST",
      url: "/services/T0/very-secret-token?token=qs-secret",
      authorization: `Basic ${Buffer.from("hook-user:s3cr3t-pass").toString("base64")}`,
    });
    await expect(page.getByTestId("deliveries")).toContainText("sent");

    await add("elsewhere", `http://127.0.0.1:${unlisted}/hook`);
    await expect(page.getByRole("alert").filter({ hasText: "refused" })).toContainText(
      "refused: loopback address not in L9_WEBHOOK_ALLOWED_HOSTS: a webhook may reach loopback",
    );
    await expect(page.getByTestId("channels").getByRole("row", { name: /elsewhere/ })).toHaveCount(0);
    expect(hook.hits).toHaveLength(1);
  } finally {
    await app.stop();
    await hook.close();
  }
});

test("a redirect from a listed receiver to an unlisted address is not followed", async ({
  fleet,
  request,
}) => {
  const second = await receiver();
  const first = await receiver("127.0.0.1", (res) =>
    res.writeHead(307, { location: `http://127.0.0.1:${second.port}/stolen` }).end(),
  );
  const app = await startApp({
    DOCKER_HOST: `unix://${fleet.socketPath}`,
    L9_LABEL_SELECTOR: fleet.selector,
    L9_WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${first.port}`,
  });
  try {
    await signIn(request, app);
    expect((await addChannel(request, app, "hop", `http://127.0.0.1:${first.port}/hook`)).status()).toBe(201);
    expect((await sendTest(request, app, "hop")).status()).toBe(202);
    expect(await finished(request, app, "hop")).toMatchObject({
      status: "failed",
      attempts: 1,
      error: "redirect not followed (HTTP 307)",
    });
    expect(first.hits).toHaveLength(1);
    expect(second.hits).toEqual([]);
  } finally {
    await app.stop();
    await first.close();
    await second.close();
  }
});

test("the Docker daemon on loopback TCP (DOCKER_HOST) is never a target, even listed, on a test or an alert", async ({
  fleet,
  request,
}) => {
  test.setTimeout(90_000);
  const docker = await dockerOverTcp(fleet.socketPath);
  const id = await fleet.run({ project: "alpha", port: 48101, phase1: true });
  const stop = `http://127.0.0.1:${docker.port}/containers/${id}/stop`;
  const app = await startApp({
    DOCKER_HOST: `tcp://127.0.0.1:${docker.port}`,
    L9_LABEL_SELECTOR: fleet.selector,
    L9_WEBHOOK_ALLOWED_HOSTS: [
      `127.0.0.1:${docker.port}`,
      `localhost:${docker.port}`,
      `0.0.0.0:${docker.port}`,
    ].join(","),
    L9_WEBHOOKS: `json:${stop}`,
    L9_NOTIFY_AFTER: "1s",
  });
  try {
    // The app really reads this Docker over loopback TCP.
    await expect
      .poll(async () => (await (await request.get(`${app.url}/api/v1/state`)).json()).projects?.length ?? 0)
      .toBe(1);
    await signIn(request, app);
    for (const [i, url] of [
      stop,
      `http://localhost:${docker.port}/containers/${id}/kill`,
      `http://2130706433:${docker.port}/containers/${id}/stop`,
      `http://[::ffff:127.0.0.1]:${docker.port}/containers/${id}/stop`,
      `http://0.0.0.0:${docker.port}/containers/${id}/stop`,
      `http://127.0.0.2:${docker.port}/containers/${id}/stop`,
    ].entries()) {
      const res = await addChannel(request, app, `docker-${i}`, url);
      expect.soft(res.status(), url).toBe(400);
      expect
        .soft((await res.json()).error?.message, url)
        .toBe("url: refused: the Docker daemon's address (DOCKER_HOST): nothing is ever sent to Docker");
    }
    const listed = (await notifications(request, app)).channels;
    expect(listed).toEqual([
      expect.objectContaining({ name: "env-1", refused: "the Docker daemon's address (DOCKER_HOST)" }),
    ]);
    // The channel from L9_WEBHOOKS: a test, then an alert (alpha diverges: the registry disagrees).
    expect((await sendTest(request, app, "env-1")).status()).toBe(202);
    expect(await finished(request, app, "env-1")).toMatchObject({
      event: "test",
      status: "failed",
      error: "refused: the Docker daemon's address (DOCKER_HOST)",
    });
    fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: { alpha: 48199 } }));
    await expect
      .poll(
        async () => (await notifications(request, app)).deliveries.find((d) => d.event === "firing")?.error,
        {
          timeout: 30_000,
        },
      )
      .toBe("refused: the Docker daemon's address (DOCKER_HOST)");
    expect(docker.hits).toEqual([]);
    expect((await fleet.docker.getContainer(id).inspect()).State.Running).toBe(true);
  } finally {
    await app.stop();
    await docker.close();
  }
});

test("the delivery history shows a viewer no error, no password, no address; editors a class; the log no password", async ({
  fleet,
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const hook = await receiver();
  const dead = await freePort(); // listed, nothing listens: connection refused
  const app = await startApp({
    DOCKER_HOST: `unix://${fleet.socketPath}`,
    L9_LABEL_SELECTOR: fleet.selector,
    L9_WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${hook.port},127.0.0.1:${dead}`,
  });
  try {
    const editor = request;
    await signIn(editor, app);
    const secret = `http://hook-user:s3cr3t-pass@127.0.0.1:${hook.port}/hook?token=qs-secret`;
    expect((await addChannel(editor, app, "secret", secret)).status()).toBe(201);
    expect(
      (await addChannel(editor, app, "dead", `http://hook-user:s3cr3t-pass@127.0.0.1:${dead}/hook`)).status(),
    ).toBe(201);
    for (const c of ["secret", "dead"]) expect((await sendTest(editor, app, c)).status()).toBe(202);
    // Retried after 1, 4 and 16 s: the log line comes with the final failure.
    const failed = await finished(editor, app, "dead", 40_000);
    expect(failed).toMatchObject({ status: "failed", attempts: 4, error: "connection refused" });
    expect(await finished(editor, app, "secret")).toMatchObject({ status: "sent", error: null });

    const viewer = page.request; // never signed in
    const seen = await notifications(viewer, app);
    expect(seen.errors_shown).toBe(false);
    expect(seen.deliveries.map((d) => [d.channel, d.status, d.error])).toEqual([
      ["dead", "failed", null],
      ["secret", "sent", null],
    ]);
    const asText = JSON.stringify(seen.deliveries);
    for (const leak of ["s3cr3t", "hook-user", "qs-secret", String(dead), "ECONNREFUSED"])
      expect(asText, leak).not.toContain(leak);
    expect(JSON.stringify((await notifications(editor, app)).deliveries)).not.toMatch(
      new RegExp(`s3cr3t|127\\.0\\.0\\.1|${dead}|${hook.port}`),
    );
    await page.goto(`${app.url}/settings`);
    await expect(page.getByTestId("deliveries")).toContainText("failed");
    await expect(page.getByTestId("deliveries")).not.toContainText("connection refused");
    await expect(page.getByText("Editors see why a delivery failed")).toBeVisible();

    expect(app.logs()).toContain("notification failed");
    expect(app.logs()).not.toMatch(/s3cr3t|qs-secret/);
  } finally {
    await app.stop();
    await hook.close();
  }
});

test("a channel saved while its host was listed is refused at delivery once the operator unlists it", async ({
  fleet,
  request,
}) => {
  const hook = await receiver();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-webhooks-"));
  const base = {
    DOCKER_HOST: `unix://${fleet.socketPath}`,
    L9_LABEL_SELECTOR: fleet.selector,
    DATABASE_URL: `file:${path.join(dir, "app.db")}`,
  };
  try {
    const before = await startApp({ ...base, L9_WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${hook.port}` });
    try {
      await signIn(request, before);
      expect((await addChannel(request, before, "team", `http://127.0.0.1:${hook.port}/hook`)).status()).toBe(
        201,
      );
    } finally {
      await before.stop();
    }
    const after = await startApp({ ...base, L9_WEBHOOK_ALLOWED_HOSTS: "" });
    try {
      await signIn(request, after);
      expect((await notifications(request, after)).channels).toEqual([
        expect.objectContaining({
          name: "team",
          refused: "loopback address not in L9_WEBHOOK_ALLOWED_HOSTS",
        }),
      ]);
      expect((await sendTest(request, after, "team")).status()).toBe(202);
      expect(await finished(request, after, "team")).toMatchObject({
        status: "failed",
        attempts: 1,
        error: "refused: loopback address not in L9_WEBHOOK_ALLOWED_HOSTS",
      });
      expect(hook.hits).toEqual([]);
    } finally {
      await after.stop();
    }
  } finally {
    await hook.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
