// The fleet state for the browser in pages and deltas (issue 26), against the built app: the
// API pages by (host, project) with a bounded limit and keeps the whole state for old clients;
// the overview follows the event stream's deltas, so a container killed shows on its cell
// without the page asking for /api/v1/state again.
import Docker from "dockerode";
import { expect, test } from "./support/fixtures";
import { startApp } from "./support/app";
import { SimFleet } from "../lib/sim/fleet";
import { makeRng } from "../lib/sim/rng";
import { findScenario } from "../lib/sim/scenarios";

type Page = {
  projects: { host?: string; project: string }[];
  page?: { next_cursor: string | null; total_projects: number };
};

test("paged state over HTTP; a kill reaches its matrix cell by the stream's delta, no refetch", async ({
  page,
  fleet,
}) => {
  const scenario = findScenario("port-reuse");
  const docker = new Docker({ socketPath: fleet.socketPath });
  const probe = new SimFleet({
    docker,
    registryPath: "/dev/null",
    ingestUrl: null,
    phase: scenario.phase,
    instances: 0,
  });
  const app = await startApp({
    DOCKER_HOST: `unix://${fleet.socketPath}`,
    L9_LABEL_SELECTOR: probe.selector,
    L9_SIMULATED: "1",
  });
  const f = new SimFleet({
    docker,
    registryPath: app.registryPath,
    ingestUrl: app.url,
    phase: 0,
    instances: 1,
    runId: probe.runId,
  });
  try {
    await scenario.setup(f, makeRng(1));
    const get = async (qs: string) => (await fetch(`${app.url}/api/v1/state${qs}`)).json() as Promise<Page>;
    await expect.poll(async () => (await get("")).projects.length).toBe(3);
    // The whole state for existing clients; pages of one project walk all three, once each.
    const full = await get("");
    expect(full.page).toBeUndefined();
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const p: Page = await get(`?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(p.projects).toHaveLength(1);
      expect(p.page?.total_projects).toBe(3);
      walked.push(...p.projects.map((x) => x.project));
      cursor = p.page?.next_cursor ?? null;
    } while (cursor);
    expect(walked).toEqual(full.projects.map((x) => x.project).sort());
    expect((await fetch(`${app.url}/api/v1/state?limit=501`)).status).toBe(400);
    expect((await fetch(`${app.url}/api/v1/state?limit=5&cursor=nope`)).status).toBe(400);

    const stateRequests: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/api/v1/state") stateRequests.push(r.url());
    });
    // refresh=60000: the refresh tick is not what brings the kill (it is far off).
    await page.goto(`${app.url}/?refresh=60000`);
    const matrix = page.getByTestId("health-matrix");
    await expect(matrix.locator("tr[data-project]")).toHaveCount(3);
    // Two polls applied after the page's own first fetch: the stream's deltas are flowing.
    const pollId = async () => Number(await matrix.getAttribute("data-poll-id"));
    const seen = await pollId();
    await expect.poll(pollId).toBeGreaterThan(seen + 1);
    expect(stateRequests.every((u) => new URL(u).searchParams.get("limit") === "100")).toBe(true);
    const before = stateRequests.length;

    expect(await f.killBehindBack("proj-b")).toBe(true);
    const cell = matrix.locator('tr[data-project="proj-b"] td[data-source="container_registry"]');
    await expect(cell).toContainText("not running", { timeout: 10_000 });
    await expect(matrix.locator('tr[data-project="proj-b"]')).toHaveAttribute("data-health", "diverged");
    expect(stateRequests.slice(before)).toEqual([]);
  } finally {
    await f.cleanup();
    await app.stop();
  }
});
