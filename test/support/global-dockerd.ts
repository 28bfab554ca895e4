// Vitest global setup: one private dockerd for the integration run, or the one scripts/test.sh
// already started (L9_TEST_DOCKER_SOCKET). Never the user's daemon.
import type { TestProject } from "vitest/node";
import { ensureStubImage, startPrivateDockerd } from "../../lib/dev/private-dockerd";

declare module "vitest" {
  export interface ProvidedContext {
    dockerSocket: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.L9_TEST_DOCKER_SOCKET;
  if (given) {
    await ensureStubImage(given);
    project.provide("dockerSocket", given);
    return;
  }
  const daemon = await startPrivateDockerd();
  await ensureStubImage(daemon.socketPath);
  project.provide("dockerSocket", daemon.socketPath);
  return async () => {
    await daemon.stop();
  };
}
