// Issue 25, 2 in Chromium against the built app: Phase 4's "no legacy reads for 28 days". A bad
// count is a 400 naming it and stores nothing; a process that counts without a read is not
// enough evidence (insufficient data, never met); a call site that still reads makes it not met,
// with the site, its count and its last read on the phases page.
import { expect, test } from "./support/fixtures";

test("legacy reads: a bad count refused; counting without reads is insufficient data; a reading call site is named", async ({
  app,
  page,
  request,
}) => {
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const since = iso(now - 2 * 86400_000);
  const snap = (sites: unknown[]) => ({
    instance_id: "mcp-a",
    started_at: since,
    taken_at: iso(Date.now()),
    indexers: {},
    mode: "docker_only",
    code_version: "e94f4d8",
    legacy_reads: { since, sites },
  });
  const post = (body: unknown) => request.post(`${app.url}/api/v1/ingest/active-indexers`, { data: body });
  const phase4 = async () => {
    const r = (await (await request.get(`${app.url}/api/v1/phases?window=1h`)).json()) as {
      phases: { phase: number; criteria: { id: string; status: string; evidence: { summary: string } }[] }[];
    };
    return r.phases.find((p) => p.phase === 4)?.criteria.find((c) => c.id === "no_legacy_reads");
  };

  const site = {
    dict: "active_indexers",
    site: "indexer_orchestrator.py:238",
    count: 3,
    last_read: iso(now - 3600_000),
  };
  const bad = await post(snap([{ ...site, count: -1 }]));
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatchObject({
    code: "bad_request",
    field: "legacy_reads.sites.0.count",
  });
  const badDict = await post(snap([{ ...site, dict: "project_registry" }]));
  expect((await badDict.json()).error).toMatchObject({ field: "legacy_reads.sites.0.dict" });
  // Nothing of the refused bodies was stored: no process reports counting.
  expect(await phase4()).toMatchObject({ status: "insufficient_data" });
  expect((await phase4())?.evidence.summary).toContain("no process counts its legacy reads");

  // Two days of counting and no read: still not enough evidence.
  expect((await post(snap([]))).status()).toBe(202);
  await expect
    .poll(async () => (await phase4())?.evidence.summary)
    .toMatch(/^counting since .*2\.0 days, no reads/);
  expect((await phase4())?.status).toBe("insufficient_data");
  await page.goto(`${app.url}/phases?window=1h`);
  const row = page.getByTestId("phase-4").locator('tr[data-criterion="no_legacy_reads"]');
  await expect(row).toHaveAttribute("data-status", "insufficient_data");
  await expect(row).toContainText("Needs 28 days of counting");

  // A call site that still reads: not met, named with its count and last read.
  expect((await post(snap([site]))).status()).toBe(202);
  await expect.poll(async () => (await phase4())?.status).toBe("not_met");
  await page.reload();
  await expect(row).toHaveAttribute("data-status", "not_met");
  await expect(row).toContainText("1 call site still read the legacy dicts (3 reads counted");
  await row.getByText("1 call site still read the legacy dicts").click();
  const evidence = row.getByRole("table", {
    name: "Evidence for Nothing reads active_indexers or container_registry any more",
  });
  await expect(evidence).toContainText("indexer_orchestrator.py:238");
  await expect(evidence).toContainText("active_indexers");
  await expect(evidence).toContainText("mcp-a");
});
