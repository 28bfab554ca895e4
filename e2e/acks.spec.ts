// Known differences from outside: only editors acknowledge; an editor does it from the project
// page in Chromium; the finding stays visible, muted, with who and why; the overview shows both
// rates and the acknowledgements in force; a review freezes them.
import fs from "node:fs";
import { expect, test } from "./support/fixtures";

// Editors and viewers are different people, which local mode (one identity) cannot have: a
// trusted proxy on loopback names them (ana in the browser, ben for the API client).
const as = (name: string) => ({ "x-forwarded-user": name });

test.describe("acknowledging a known difference", () => {
  test.use({
    appEnv: {
      L9_EDITORS: "ana",
      L9_AUTH_PROXY_HEADER: "X-Forwarded-User",
      L9_AUTH_PROXY_TRUSTED: "127.0.0.1",
    },
  });
  test("editors only; from the project page; visible, muted, frozen in a review", async ({
    app,
    fleet,
    page,
    request,
  }) => {
    await fleet.run({ project: "alpha", port: 48101, phase1: true });
    await fleet.run({ project: "beta", port: 48102, phase1: true });
    fs.writeFileSync(
      app.registryPath,
      JSON.stringify({ projects: { alpha: "/home/dev/alpha" }, container_ports: { beta: 48102 } }),
    );
    const body = {
      project: "alpha",
      source: "container_registry",
      kind: "missing_in_source",
      reason: "the orchestrator's registry never writes container_ports",
      expires_at: new Date(Date.now() + 7 * 86400_000).toISOString(),
    };
    expect((await request.post(`${app.url}/api/v1/acknowledgements`, { data: body })).status()).toBe(401);
    const asViewer = await request.post(`${app.url}/api/v1/acknowledgements`, {
      data: body,
      headers: as("ben"),
    });
    expect(asViewer.status()).toBe(403);
    const tooLong = { ...body, expires_at: new Date(Date.now() + 60 * 86400_000).toISOString() };
    await page.context().setExtraHTTPHeaders(as("ana"));
    const refused = await page.request.post(`${app.url}/api/v1/acknowledgements`, { data: tooLong });
    expect(refused.status()).toBe(400);
    expect((await refused.json()).error.field).toBe("expires_at");

    await page.goto(`${app.url}/projects/alpha`);
    await page.getByRole("button", { name: "Acknowledge…" }).first().click();
    await page.getByLabel("Reason").fill(body.reason);
    await page.getByRole("button", { name: "Acknowledge", exact: true }).click();
    await expect(page.getByTestId("acknowledged")).toContainText(`acknowledged by ana: “${body.reason}”`, {
      timeout: 10_000,
    });

    const state = await (await request.get(`${app.url}/api/v1/state`)).json();
    expect(state.summary).toMatchObject({
      divergence_rate: 0.5,
      divergence_rate_acknowledged: 0,
      acknowledgements_in_force: 1,
    });
    await page.goto(app.url);
    await expect(page.getByTestId("acks-table")).toContainText(body.reason);
    await expect(page.getByTestId("headline")).toContainText("0.0% without acknowledged");

    const review = await (
      await page.request.post(`${app.url}/api/v1/reviews`, { data: { phase: 0 } })
    ).json();
    expect(review.evaluation.acknowledgements).toEqual([
      expect.objectContaining({ project: "alpha", owner: "ana" }),
    ]);
    await page.goto(`${app.url}/reviews/${review.id}`);
    await expect(page.getByTestId("review-acks")).toContainText("the raw verdicts apply");
    // Both figures for the divergence criterion: the raw one and the one without acknowledged.
    await expect(
      page.locator('[data-criterion="divergence_rate"]').first().getByTestId("acknowledged-actual"),
    ).toHaveText(/without acknowledged: \d+\.\d{2}%/);
    const audit = await (await request.get(`${app.url}/api/v1/audit?action=ack.create`)).json();
    expect(audit.entries).toEqual([expect.objectContaining({ actor: "ana", action: "ack.create" })]);

    // Extend from the overview; a viewer may not; ending it brings the finding back.
    const ackId = state.projects
      .find((p: { project: string }) => p.project === "alpha")
      .findings.find((f: { acknowledgement?: unknown }) => f.acknowledgement).acknowledgement.id as number;
    const before = (await (await request.get(`${app.url}/api/v1/acknowledgements`)).json()).in_force[0]
      .expiresAt;
    await page.goto(app.url);
    await page.getByRole("button", { name: "Extend a week" }).click();
    await expect
      .poll(
        async () =>
          (await (await request.get(`${app.url}/api/v1/acknowledgements`)).json()).in_force[0].expiresAt,
      )
      .not.toBe(before);
    expect(
      (
        await request.patch(`${app.url}/api/v1/acknowledgements/${ackId}`, {
          data: { reason: "by ben" },
          headers: as("ben"),
        })
      ).status(),
    ).toBe(403);
    const ended = await page.request.delete(`${app.url}/api/v1/acknowledgements/${ackId}`, { data: {} });
    expect(await ended.json()).toMatchObject({ in_force: false, endedAt: expect.any(String) });
    await expect
      .poll(
        async () =>
          (await (await request.get(`${app.url}/api/v1/state`)).json()).summary.divergence_rate_acknowledged,
      )
      .toBe(0.5);
  });
});
