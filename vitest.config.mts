import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const shared = {
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside React Server Components; under test it is a no-op.
      "server-only": path.join(root, "test", "support", "empty.ts"),
    },
  },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: "unit",
          include: [
            "lib/**/*.test.ts",
            "components/**/*.test.ts",
            "scripts/**/*.test.ts",
            "test/unit/**/*.test.ts",
          ],
          environment: "node",
          setupFiles: ["test/support/fail-on-console-error.ts"],
        },
      },
      {
        ...shared,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-dockerd.ts"],
          setupFiles: ["test/support/fail-on-console-error.ts"],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          // One private daemon is shared: files run one at a time so containers don't collide.
          fileParallelism: false,
        },
      },
      {
        ...shared,
        test: {
          // Measurements, not tests: run by `npm run measure:*`, never by `npm test`.
          name: "measure",
          include: ["test/measure/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-dockerd.ts"],
          testTimeout: 600_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
      {
        ...shared,
        test: {
          // The suites that store history, again on a real PostgreSQL server (issue 14).
          name: "integration-pg",
          include: [
            "test/integration/collector.test.ts",
            "test/integration/containers-history.test.ts",
            "test/integration/acks.test.ts",
            "test/integration/phases.test.ts",
            "test/integration/simulator.test.ts",
            "test/integration/hosts.test.ts",
            "test/integration/state-hash.test.ts",
            "test/integration/health-db.test.ts",
            "test/integration/agent-modes.test.ts",
          ],
          environment: "node",
          env: { L9_TEST_DB: "postgresql" },
          globalSetup: ["test/support/global-dockerd.ts", "test/support/global-postgres.ts"],
          setupFiles: ["test/support/fail-on-console-error.ts"],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
