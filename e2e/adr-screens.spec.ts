// CONTRACT 7 on the overview, in Chromium against the built app and the private daemon: the
// orchestrator's own test containers are counted (never hidden), a project mixing test and real
// containers is named, and the union orphan column reads "no live orchestrator".
import { expect, test } from "./support/fixtures";

test("test containers are counted on the overview and a project mixing both kinds is named", async ({
  page,
  fleet,
  app,
}) => {
  await fleet.run({ project: "test-widget", port: 48701, labels: { "com.l9.test": "true" } });
  await fleet.run({ project: "contest-app", port: 48702 });
  await fleet.run({ project: "contest-app", port: 48703, labels: { "com.l9.test": "true" } });
  type State = { projects: { project: string }[]; test_containers?: { project: string; mixed: boolean }[] };
  const read = async () => (await (await fetch(`${app.url}/api/v1/state`)).json()) as State;
  await expect
    .poll(async () => ((await read()).test_containers ?? []).map((t) => [t.project, t.mixed]).sort())
    .toEqual([
      ["contest-app", true],
      ["test-widget", false],
    ]);
  const state = await read();
  // The test-only project makes no row; the real container of contest-app does.
  expect(state.projects.map((p) => p.project)).toEqual(["contest-app"]);

  await page.goto(app.url);
  await expect(page.getByTestId("test-containers")).toHaveText(
    "2 test containers (com.l9.test=true) left out of every check and rate; contest-app has test and real containers side by side: check the test label is meant",
  );
});

test("a container no live process holds is one check of the column 'no live orchestrator'", async ({
  page,
  fleet,
  app,
}) => {
  const a = await fleet.run({ project: "alpha", port: 48711 });
  const b = await fleet.run({ project: "beta", port: 48712 });
  await fleet.run({ project: "gamma", port: 48713 });
  const now = new Date().toISOString();
  const snap = (id: string, project: string, container: string, port: number) => ({
    instance_id: id,
    started_at: now,
    taken_at: now,
    indexers: { [project]: { container_id: container, port } },
  });
  for (const body of [snap("mcp-a", "alpha", a, 48711), snap("mcp-b", "beta", b, 48712)]) {
    const r = await fetch(`${app.url}/api/v1/ingest/active-indexers`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(r.status).toBe(202);
  }
  await page.goto(app.url);
  const header = page.getByRole("columnheader", { name: "no live orchestrator" });
  await expect(header).toBeVisible();
  await expect(header.locator("span[title]")).toHaveAttribute("title", "active_indexers:*");
  const gamma = page.getByRole("row", { name: /gamma/ });
  await expect(gamma).toContainText(/missing in a source|missing_in_source/);
  // alpha and beta are each held by their own live process: no orphan.
  const state = (await (await fetch(`${app.url}/api/v1/state`)).json()) as {
    projects: { project: string; checks: { source: string; status: string }[] }[];
  };
  const checksOf = (name: string) => state.projects.find((p) => p.project === name)?.checks ?? [];
  expect(
    checksOf("alpha").filter((c) => c.status !== "consistent" && c.source.startsWith("active_indexers")),
  ).toEqual([]);
  expect(checksOf("gamma").filter((c) => c.source.startsWith("active_indexers"))).toEqual([
    expect.objectContaining({ source: "active_indexers:*", status: "diverged" }),
  ]);
});
