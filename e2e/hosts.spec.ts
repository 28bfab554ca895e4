// Many hosts, one team view (issue 14), end to end: a server (the production build, on a
// private PostgreSQL) and two headless agents (`npm run agent`'s script, each with its own
// fleet on the private daemon and its own SQLite), seen in real Chromium. Each agent pulls its
// orchestrator's snapshot (issue 25: ana's process on docker_first, bo's on dict_first) from a
// loopback server here.
import fs from "node:fs";
import http from "node:http";
import { expect, test } from "@playwright/test";
import { Fleet } from "../test/support/fleet";
import { startAgent, startApp, type Agent, type App } from "./support/app";
import { startPrivatePostgres, type PrivatePostgres } from "../lib/dev/private-postgres";

const TOKENS = { ana: "ana-e2e-token-0123456789", bo: "bo-e2e-token-0123456789" };

let pg: PrivatePostgres;
let server: App;
const fleets: Fleet[] = [];
const agents = new Map<string, Agent>();
const MODES: Record<string, { mode: string; code_version: string; port: number }> = {
  ana: { mode: "docker_first", code_version: "e94f4d8", port: 48401 },
  bo: { mode: "dict_first", code_version: "2a67b60", port: 48402 },
};
const started = new Date().toISOString();
/** Each host's orchestrator snapshot, taken now at every pull (GET /ana, /bo). */
const orchestrators = http.createServer((req, res) => {
  const host = (req.url ?? "").slice(1);
  const m = MODES[host];
  if (!m) return void res.writeHead(404).end();
  res.writeHead(200, { "content-type": "application/json" }).end(
    JSON.stringify({
      instance_id: `mcp-${host}-1`,
      started_at: started,
      taken_at: new Date().toISOString(),
      indexers: { alpha: { port: m.port } },
      mode: m.mode,
      code_version: m.code_version,
    }),
  );
});

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await new Promise<void>((resolve) => orchestrators.listen(0, "127.0.0.1", resolve));
  const snapshots = `http://127.0.0.1:${(orchestrators.address() as { port: number }).port}`;
  pg = await startPrivatePostgres();
  server = await startApp({
    DATABASE_URL: await pg.createDatabase("team"),
    L9_ROLE: "server",
    L9_AGENT_TOKENS: `ana:${TOKENS.ana},bo:${TOKENS.bo}`,
    L9_HOST_STALE_MS: "4000",
  });
  const socket = process.env.E2E_DOCKER_SOCKET!;
  for (const [host, port, registryPort] of [
    ["ana", 48401, 48401],
    ["bo", 48402, 48499],
  ] as const) {
    const fleet = new Fleet(socket);
    fleets.push(fleet);
    await fleet.run({ project: "alpha", port, phase1: true });
    const agent = await startAgent({
      DOCKER_HOST: `unix://${socket}`,
      L9_LABEL_SELECTOR: fleet.selector,
      L9_SERVER_URL: server.url,
      L9_AGENT_TOKEN: TOKENS[host],
      L9_HOST_NAME: host,
      L9_ORCHESTRATOR_URLS: `${snapshots}/${host}`,
    });
    agents.set(host, agent);
    // The agent's registry: bo's disagrees with its Docker (a port mismatch).
    fs.writeFileSync(
      agent.registryPath,
      JSON.stringify({ projects: { alpha: "/home/dev/alpha" }, container_ports: { alpha: registryPort } }),
    );
  }
});

test.afterAll(async () => {
  for (const a of agents.values()) await a.stop();
  await server?.stop();
  for (const f of fleets) await f.cleanup();
  await pg?.stop();
  orchestrators.closeAllConnections();
  await new Promise((r) => orchestrators.close(r));
});

test("one view of two machines: hosts listed, the matrix grouped by host, a host filter in the URL, a silent host stale", async ({
  page,
}) => {
  await page.goto(`${server.url}/hosts`);
  const table = page.getByTestId("hosts-table");
  await expect(table.locator("tr[data-host]")).toHaveCount(2, { timeout: 30_000 });
  await expect(table.locator('tr[data-host="ana"][data-status="ok"]')).toBeVisible();
  await expect(page.getByTestId("hosts-summary")).toContainText("2 hosts, all reporting");
  // Issue 25: each host's processes' modes; the server holds them per host and warns of a mixed fleet.
  await expect(table.locator('tr[data-host="ana"] [data-testid="host-modes"]')).toHaveText(
    "docker_first · e94f4d8",
    { timeout: 30_000 },
  );
  await expect(table.locator('tr[data-host="bo"] [data-testid="host-modes"]')).toHaveText(
    "dict_first · 2a67b60",
  );
  await expect
    .poll(
      async () => {
        const r = (await (await page.request.get(`${server.url}/api/v1/phases?window=1h`)).json()) as {
          modes?: { warnings: string[]; live: { host?: string; mode: string | null }[] };
          phases: { mode?: { mode: string } }[];
        };
        return [
          r.modes?.warnings[0],
          r.modes?.live.map((l) => `${l.host}:${l.mode}`),
          r.phases[2]?.mode?.mode,
        ];
      },
      { timeout: 30_000 },
    )
    .toEqual([
      "processes run mixed modes: 1 dict_first, 1 docker_first",
      ["ana:docker_first", "bo:dict_first"],
      "docker_first",
    ]);

  // The server's figures over both hosts answer (raw SQL on PostgreSQL inside the built app).
  for (const path of ["/api/v1/overview", "/api/v1/series?range=1h", "/api/v1/phases", "/api/v1/health"]) {
    const res = await page.request.get(`${server.url}${path}`);
    expect(res.status(), path).toBe(200);
  }
  const phases = (await (await page.request.get(`${server.url}/api/v1/phases?window=1h`)).json()) as {
    phases: { criteria: { id: string; evidence: { details?: { by_host?: { host: string }[] } } }[] }[];
  };
  const rate = phases.phases[0]!.criteria.find((c) => c.id === "divergence_rate")!;
  expect(rate.evidence.details?.by_host?.map((h) => h.host)).toEqual(["ana", "bo"]);

  await page.goto(server.url);
  const matrix = page.getByTestId("health-matrix");
  await expect(matrix.locator('tr[data-project="alpha"]')).toHaveCount(2);
  await expect(matrix.locator('tr[data-host="ana"][data-project="alpha"]')).toHaveAttribute(
    "data-health",
    "consistent",
  );
  await expect(matrix.locator('tr[data-host="bo"][data-project="alpha"]')).toHaveAttribute(
    "data-health",
    "diverged",
    { timeout: 15_000 },
  );
  await expect(matrix.getByRole("columnheader", { name: "Host" })).toBeVisible();

  // The host filter narrows the matrix and the figures, and lives in the URL.
  await page.getByLabel("Filter by host").selectOption("bo");
  await expect(page).toHaveURL(/[?&]host=bo/);
  await expect(matrix.locator("tbody tr[data-project]")).toHaveCount(1);
  await expect(page.getByTestId("host-scope")).toContainText("host bo");
  await page.reload();
  await expect(matrix.locator("tbody tr[data-project]")).toHaveCount(1);
  await expect(matrix.locator('tr[data-host="bo"]')).toBeVisible();

  // bo's agent stops: after L9_HOST_STALE_MS its projects are unknown, never healthy-looking.
  await agents.get("bo")!.stop();
  agents.delete("bo");
  await page.goto(`${server.url}/hosts`);
  await expect(page.locator('tr[data-host="bo"][data-status="stale"]')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("hosts-summary")).toContainText("1 stale");
  await page.goto(server.url);
  await expect(matrix.locator('tr[data-host="bo"][data-project="alpha"]')).toHaveAttribute(
    "data-health",
    "unknown",
  );
  await expect(matrix.locator('tr[data-host="ana"][data-project="alpha"]')).toHaveAttribute(
    "data-health",
    "consistent",
  );
});
