// Alerts as a team running Prometheus gets them: Debian's Prometheus scrapes the app on
// loopback with the shipped rules (their `for:` shortened to seconds for the test; the
// expressions are the shipped ones), a project diverges, and the alert fires with a link.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./support/fixtures";
import { freePort } from "./support/app";

type Alert = { labels: Record<string, string>; annotations: Record<string, string>; state: string };

// The webhook receiver below listens on loopback, which a channel may reach only when listed.
test.use({ appEnv: { L9_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1" } });

test("Prometheus scrapes the app and fires L9ProjectDiverged with a link to the project", async ({
  app,
  fleet,
}) => {
  test.setTimeout(120_000);
  await fleet.run({ project: "alpha", port: 48101, phase1: true });
  fs.writeFileSync(app.registryPath, JSON.stringify({ container_ports: { alpha: 48199 } }));
  const dir = path.join(app.dir, "prometheus");
  fs.mkdirSync(dir);
  const rules = fs.readFileSync("deploy/prometheus/l9-alerts.yml", "utf8").replace(/for: \d+m/g, "for: 2s");
  fs.writeFileSync(path.join(dir, "rules.yml"), rules);
  const target = new URL(app.url).host;
  fs.writeFileSync(
    path.join(dir, "prometheus.yml"),
    [
      "global: { scrape_interval: 1s, evaluation_interval: 1s }",
      "rule_files: [rules.yml]",
      "scrape_configs:",
      "  - job_name: l9",
      `    static_configs: [{ targets: ["${target}"] }]`,
    ].join("\n"),
  );
  const port = await freePort();
  let log = "";
  const prom = spawn(
    "prometheus",
    [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  prom.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const api = `http://127.0.0.1:${port}`;
  try {
    await expect
      .poll(
        () =>
          fetch(`${api}/-/ready`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 30_000 },
      )
      .toBe(200);
    let alerts: Alert[] = [];
    await expect
      .poll(
        async () => {
          const body = (await (await fetch(`${api}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } };
          alerts = body.data.alerts;
          return alerts
            .filter((a) => a.state === "firing")
            .map((a) => a.labels.alertname)
            .sort();
        },
        { timeout: 60_000, intervals: [1000] },
      )
      .toEqual(expect.arrayContaining(["L9DivergenceOverGate", "L9ProjectDiverged"]));
    const diverged = alerts.find((a) => a.labels.alertname === "L9ProjectDiverged" && a.state === "firing")!;
    expect(diverged.labels).toMatchObject({ project: "alpha", severity: "warning" });
    expect(diverged.annotations.dashboard_url).toBe(`${app.url}/projects/alpha`);
    expect(diverged.annotations.summary).toBe("Project alpha has been diverged for 15 minutes");
    // And it stays quiet where nothing is wrong: Docker is reachable, the collector is current.
    expect(alerts.map((a) => a.labels.alertname)).not.toContain("L9DockerUnreachable");
    expect(alerts.map((a) => a.labels.alertname)).not.toContain("L9CollectorBehind");
  } catch (err) {
    console.log(log.split("\n").slice(-20).join("\n"));
    throw err;
  } finally {
    prom.kill("SIGTERM");
    await new Promise((r) => prom.once("exit", r));
  }
});

test("an editor adds a webhook on the settings page; its URL is never shown again; a test arrives", async ({
  app,
  page,
  request,
}) => {
  const http = await import("node:http");
  const got: unknown[] = [];
  const hook = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      got.push(JSON.parse(body));
      res.writeHead(200).end();
    });
  });
  const port = await new Promise<number>((r) =>
    hook.listen(0, "127.0.0.1", () => r((hook.address() as { port: number }).port)),
  );
  const secretUrl = `http://127.0.0.1:${port}/services/T000/B000/very-secret-token`;
  try {
    expect(
      (
        await request.post(`${app.url}/api/v1/notifications/channels`, {
          data: { name: "x", kind: "json", url: secretUrl },
        })
      ).status(),
    ).toBe(401);
    await page.request.post(`${app.url}/api/v1/session`, { data: { name: "ana" } });
    await page.goto(`${app.url}/settings`);
    await page.getByLabel("Channel name").fill("team-room");
    await page.getByLabel("Channel format").selectOption("json");
    await page.getByLabel("Webhook URL").fill(secretUrl);
    await page.getByRole("button", { name: "Add channel" }).click();
    const row = page.getByTestId("channels").getByRole("row", { name: /team-room/ });
    await expect(row).toContainText(`http://127.0.0.1:${port}/…oken`);
    const listed = await (await request.get(`${app.url}/api/v1/notifications`)).text();
    expect(listed).not.toContain("very-secret-token");
    await row.getByRole("button", { name: "Send a test" }).click();
    await expect.poll(() => got.length, { timeout: 10_000 }).toBe(1);
    expect(got[0]).toMatchObject({ event: "test", message: expect.stringMatching(/sent by ana/) });
    await expect(page.getByTestId("deliveries")).toContainText("sent", { timeout: 15_000 });
    const audit = await (await request.get(`${app.url}/api/v1/audit`)).json();
    expect(audit.entries[0]).toMatchObject({ actor: "ana", action: "notifications.channel_add" });
    expect(JSON.stringify(audit)).not.toContain("very-secret-token");
  } finally {
    hook.close();
  }
});
