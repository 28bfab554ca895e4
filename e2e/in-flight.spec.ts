// Issue 25 item 3 in Chromium against the built app: a container stopped after the
// orchestrator's snapshot is "in flight" in words on the matrix and the project page (the
// project stays consistent, the check is not counted); the next snapshot makes it count.
import { expect, test } from "./support/fixtures";

type State = {
  summary: { diverged: number; in_flight?: number };
  projects: { project: string; health: string; checks: { source: string; in_flight?: boolean }[] }[];
};

test("a stop after the snapshot is in flight on the matrix and the project page, then counts", async ({
  app,
  fleet,
  page,
  request,
}) => {
  const id = await fleet.run({ project: "alpha", port: 48131, phase1: true });
  const push = async () =>
    expect(
      (
        await request.post(`${app.url}/api/v1/ingest/active-indexers`, {
          data: {
            instance_id: "mcp-flight",
            started_at: new Date(Date.now() - 3600_000).toISOString(),
            taken_at: new Date().toISOString(),
            indexers: { alpha: { container_id: id.slice(0, 12), port: 48131 } },
          },
        })
      ).status(),
    ).toBe(202);
  const state = async () => (await (await request.get(`${app.url}/api/v1/state`)).json()) as State;
  const alpha = (s: State) => s.projects.find((p) => p.project === "alpha");
  const check = (s: State) => alpha(s)?.checks.find((c) => c.source === "active_indexers:mcp-flight");

  await push();
  await expect.poll(async () => alpha(await state())?.health, { timeout: 20_000 }).toBe("consistent");
  await fleet.stop(id);
  // Docker's stop event asks the app for a poll; that poll sees the stop after the snapshot.
  await expect.poll(async () => check(await state())?.in_flight, { timeout: 20_000 }).toBe(true);
  const during = await state();
  expect(alpha(during)?.health).toBe("consistent");
  expect(during.summary).toMatchObject({ diverged: 0, in_flight: 1 });

  await page.goto(app.url);
  const row = page.locator('tr[data-project="alpha"]');
  await expect(row).toHaveAttribute("data-health", "consistent");
  await expect(row).toContainText("in flight");
  const cell = row.locator('td[data-source="active_indexers:mcp-flight"]');
  await expect(cell.getByTestId("in-flight")).toHaveText("in flight");
  await expect(cell).toContainText("not running");

  await page.goto(`${app.url}/projects/alpha`);
  await expect(page.getByTestId("project-in-flight")).toContainText("in flight");
  await expect(page.locator("#findings").getByTestId("in-flight")).toContainText(
    "in flight: Docker changed after this source's snapshot",
  );

  // The orchestrator's next snapshot, taken after the stop, still holds alpha: it counts now.
  await push();
  await expect.poll(async () => alpha(await state())?.health, { timeout: 20_000 }).toBe("diverged");
  expect((await state()).summary).toMatchObject({ diverged: 1, in_flight: 0 });
  await page.goto(app.url);
  await expect(page.locator('tr[data-project="alpha"]')).toHaveAttribute("data-health", "diverged");
  await expect(page.locator('tr[data-project="alpha"]').getByTestId("in-flight")).toHaveCount(0);
});
