// The overview's first screen in health order, paged by the server (issue 26), against the
// built app: a team server with one host of 2,400 projects (12 diverged, named last) fed over
// the agent's contract. The API pages in the matrix's order and refuses a bad sort, filter or
// cursor naming the field; Chromium asks for one page before the reader scrolls, shows the
// diverged projects first, loads the next page on scroll, and follows the stream's deltas: a
// project that turns diverged far down the list comes up into the first screen, one that turns
// consistent leaves it, with no new request for the state.
import { expect, test } from "./support/fixtures";
import { startApp, type App } from "./support/app";
import { bigHostToken, deliverBigHost, type BigProject } from "./support/big-host";

const HOST = "dev-01";
const N = 2400;
const name = (i: number) => `project-${String(i).padStart(5, "0")}`;
const fleet = (diverged: (i: number) => boolean): BigProject[] =>
  Array.from({ length: N }, (_, i) => ({ name: name(i), diverged: diverged(i) }));
const LAST_12 = (i: number) => i >= N - 12;

type Page = {
  projects: { project: string; health: string }[];
  page?: { next_cursor: string | null; total_projects: number; matching?: number };
  error?: { message: string };
};

let app: App;
test.beforeEach(async () => {
  app = await startApp({ L9_ROLE: "server", L9_AGENT_TOKENS: `${HOST}:${bigHostToken(HOST)}` });
});
test.afterEach(async () => app?.stop());

test("2,400 projects: the API pages in health order; the overview asks one page, worst first, more on scroll, deltas in place", async ({
  page,
}) => {
  await deliverBigHost(app.url, HOST, 1, fleet(LAST_12));
  const get = async (qs: string) => {
    const r = await fetch(`${app.url}/api/v1/state${qs}`);
    return { status: r.status, body: (await r.json()) as Page };
  };
  await expect.poll(async () => (await get("")).body.projects.length).toBe(N);

  // Over HTTP: the matrix's default order, worst first; without `limit` the whole state as before.
  const first = (await get("?limit=100&sort=health")).body;
  expect(first.projects.slice(0, 12).map((p) => p.project)).toEqual(
    Array.from({ length: 12 }, (_, i) => name(N - 12 + i)),
  );
  expect(first.projects[12]).toMatchObject({ project: name(0), health: "consistent" });
  expect(first.page).toMatchObject({ total_projects: N, matching: N });
  expect(JSON.parse(first.page!.next_cursor!)).toEqual([HOST, 3, name(87)]);
  const second = (await get(`?limit=100&sort=health&cursor=${encodeURIComponent(first.page!.next_cursor!)}`))
    .body;
  expect(second.projects[0]?.project).toBe(name(88));
  const diverged = (await get("?limit=500&sort=health&health=diverged")).body;
  expect(diverged.projects).toHaveLength(12);
  expect(diverged.page).toMatchObject({ matching: 12, next_cursor: null });
  expect((await get("?limit=10&sort=project&q=project-0100")).body.page?.matching).toBe(10);
  expect((await get("")).body.page).toBeUndefined();
  for (const [qs, field] of [
    ["?limit=10&sort=worst", "sort"],
    ["?limit=10&sort=health&dir=up", "dir"],
    ["?limit=10&sort=health&health=bad", "health"],
    [`?limit=10&sort=health&q=${"x".repeat(201)}`, "q"],
    ["?limit=10&sort=health&cursor=%5B%22dev-01%22%2C%22project-1%22%5D", "cursor"],
    ["?limit=10&sort=since&cursor=%5B%22dev-01%22%2C3%2C%22project-1%22%5D", "cursor"],
    ["?limit=501&sort=health", "limit"],
  ] as const) {
    const r = await get(qs);
    expect(r.status, qs).toBe(400);
    expect(r.body.error?.message, qs).toMatch(new RegExp(`^${field}: `));
  }

  // In Chromium: one request for the state before the reader scrolls, the diverged first.
  const stateRequests: URL[] = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname === "/api/v1/state") stateRequests.push(u);
  });
  await page.goto(`${app.url}/?refresh=60000`);
  const matrix = page.getByTestId("health-matrix");
  const rows = matrix.locator("tr[data-project]");
  await expect(page.getByText(`${N} of ${N} projects`)).toBeVisible();
  await expect(rows.first()).toHaveAttribute("data-project", name(N - 12));
  for (let i = 0; i < 12; i++) await expect(rows.nth(i)).toHaveAttribute("data-health", "diverged");
  await expect(rows.nth(12)).toHaveAttribute("data-project", name(0));
  await expect(matrix).toHaveAttribute("aria-rowcount", String(N + 1));
  // The page's own fetch of its first screen (the served HTML carried the same rows).
  await expect.poll(() => stateRequests.length).toBe(1);
  expect(stateRequests[0]!.searchParams.get("limit")).toBe("100");
  expect(stateRequests[0]!.searchParams.get("sort")).toBe("health");
  expect(stateRequests[0]!.searchParams.has("cursor")).toBe(false);
  await expect(matrix).toHaveAttribute("data-rows", "100");

  // The stream's deltas: project 1,000 (far past the first screen) turns diverged and comes up
  // among the worst, the first of the 12 turns consistent and leaves the first screen; the
  // page asks nothing for it.
  const moved = (i: number) => (LAST_12(i) && i !== N - 12) || i === 1000;
  await deliverBigHost(app.url, HOST, 2, fleet(moved));
  await expect(rows.first()).toHaveAttribute("data-project", name(1000));
  await expect(rows.nth(1)).toHaveAttribute("data-project", name(N - 11));
  await expect(matrix.locator(`tr[data-project="${name(N - 12)}"]`)).toHaveCount(0);
  await expect(matrix).toHaveAttribute("data-rows", "100");
  expect(stateRequests).toHaveLength(1);

  // Scrolling to the end of the first screen asks for the next page, after the last row shown.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect.poll(() => stateRequests.length).toBeGreaterThan(1);
  const next = stateRequests[1]!;
  expect(next.searchParams.get("sort")).toBe("health");
  expect(JSON.parse(next.searchParams.get("cursor")!)).toEqual([HOST, 3, name(87)]);
  await expect.poll(async () => Number(await matrix.getAttribute("data-rows"))).toBeGreaterThan(100);
  // At the very end: every page in, the project that left the first screen in its place (last).
  await expect
    .poll(async () => {
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      return matrix.getAttribute("data-rows");
    })
    .toBe(String(N));
  await expect(matrix.locator(`tr[data-project="${name(N - 12)}"]`)).toBeVisible();
  await expect(matrix.locator(`tr[data-project="${name(N - 12)}"]`)).toHaveAttribute(
    "data-health",
    "consistent",
  );
});
