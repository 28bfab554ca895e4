// Fixtures: a fleet on the e2e daemon and an app watching only that fleet; `appEnv` lets a
// file point the app elsewhere (e.g. at a Docker socket where nothing listens).
import { test as base, expect } from "@playwright/test";
import { Fleet } from "../../test/support/fleet";
import { lastAppStop, startApp, type App } from "./app";

type Fixtures = { fleet: Fleet; app: App; appEnv: Record<string, string> };

export const test = base.extend<Fixtures>({
  appEnv: [{}, { option: true }],
  fleet: async ({}, use) => {
    const socket = process.env.E2E_DOCKER_SOCKET;
    if (!socket) throw new Error("E2E_DOCKER_SOCKET is not set: the global setup did not run");
    const fleet = new Fleet(socket);
    await use(fleet);
    await fleet.cleanup();
  },
  app: async ({ fleet, appEnv }, use) => {
    const app = await startApp({
      DOCKER_HOST: `unix://${fleet.socketPath}`,
      L9_LABEL_SELECTOR: fleet.selector,
      ...appEnv,
    });
    await use(app);
    await app.stop();
  },
  page: async ({ page }, use) => {
    const errors: { message: string; at: number }[] = [];
    page.on("pageerror", (e) => errors.push({ message: e.message, at: Date.now() }));
    await use(page);
    // The app fixture stops before the page closes: a lazy chunk still loading then fails,
    // which says nothing about the app. Every other error, and a chunk error before, counts.
    const stop = lastAppStop();
    const real = errors.filter(
      (e) => !(e.at >= stop && stop > 0 && /failed to load chunk|chunkloaderror/i.test(e.message)),
    );
    expect(
      real.map((e) => e.message),
      "uncaught errors in the page",
    ).toEqual([]);
  },
});

export { expect };
export const artifact = (name: string) => `e2e/artifacts/${name}.png`;
