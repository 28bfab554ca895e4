// One private dockerd for the e2e run (or the one scripts/test.sh started), handed to the
// workers through the environment. Never the user's daemon.
import { ensureStubImage, startPrivateDockerd } from "../../lib/dev/private-dockerd";

export default async function globalSetup() {
  const given = process.env.L9_TEST_DOCKER_SOCKET;
  if (given) {
    await ensureStubImage(given);
    process.env.E2E_DOCKER_SOCKET = given;
    return;
  }
  const daemon = await startPrivateDockerd();
  await ensureStubImage(daemon.socketPath);
  process.env.E2E_DOCKER_SOCKET = daemon.socketPath;
  return async () => {
    await daemon.stop();
  };
}
