// Issue 25 in Chromium against the built app: a bad mode is a 400 naming it and stores nothing;
// the sources page shows each process's mode and version; a fleet on mixed modes is warned
// about, in red, on the phases page and on a review.
import { expect, test } from "./support/fixtures";

test("modes: a bad one refused, each process's shown, a mixed fleet warned about on a review", async ({
  app,
  page,
  request,
}) => {
  const now = new Date().toISOString();
  const snap = (id: string, extra: Record<string, unknown>) => ({
    instance_id: id,
    started_at: now,
    taken_at: now,
    indexers: {},
    ...extra,
  });
  const post = (body: unknown) => request.post(`${app.url}/api/v1/ingest/active-indexers`, { data: body });

  const bad = await post(snap("mcp-bad", { mode: "phase-2", code_version: "e94f4d8" }));
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatchObject({ code: "bad_request", field: "mode" });
  const badVersion = await post(snap("mcp-bad", { mode: "dict_first", code_version: "e94f4d8; rm" }));
  expect((await badVersion.json()).error).toMatchObject({ field: "code_version" });

  expect((await post(snap("mcp-a", { mode: "docker_first", code_version: "e94f4d8" }))).status()).toBe(202);
  expect((await post(snap("mcp-b", { mode: "dict_first", code_version: "2a67b60" }))).status()).toBe(202);
  await expect
    .poll(async () => {
      const s = (await (await request.get(`${app.url}/api/v1/state`)).json()) as {
        sources: { id: string; mode?: string | null; code_version?: string | null }[];
      };
      return s.sources.filter((x) => x.id.startsWith("active_indexers:mcp")).map((x) => [x.id, x.mode]);
    })
    .toEqual([
      ["active_indexers:mcp-a", "docker_first"],
      ["active_indexers:mcp-b", "dict_first"],
    ]); // nothing of mcp-bad was stored

  await page.goto(`${app.url}/sources`);
  const rowA = page.getByRole("row", { name: /active_indexers:mcp-a/ });
  await expect(rowA.getByTestId("mode-badge")).toHaveText("docker_first · e94f4d8");

  await page.goto(`${app.url}/phases?window=1h`);
  await expect(page.getByTestId("mode-rollbacks")).toContainText(
    "processes run mixed modes: 1 dict_first, 1 docker_first",
  );
  const bar = page.getByRole("banner");
  await bar.getByRole("button", { name: "Sign in", exact: true }).click();
  await bar.getByLabel("Your name").fill("ana");
  await bar.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in")).toContainText("ana");
  await page.getByRole("button", { name: /Start a review of Phase 0/ }).click();
  await expect(page).toHaveURL(/\/reviews\/[0-9a-f]+$/);
  const warnings = page.getByTestId("mode-warnings");
  await expect(warnings).toHaveText("processes run mixed modes: 1 dict_first, 1 docker_first");
  await expect(warnings).toHaveClass(/\berror\b/);
  expect(await warnings.evaluate((el) => getComputedStyle(el).color)).not.toBe(
    await page.locator("body").evaluate((el) => getComputedStyle(el).color),
  );
  await expect(page.getByTestId("review-modes")).toContainText("mcp-a docker_first · e94f4d8");
});
