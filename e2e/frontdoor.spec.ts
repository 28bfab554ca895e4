// The README's start command, as a user runs it: after the build the test command made,
// `npm start` serves without building again; a second `npm start` that would have to rebuild
// refuses instead of replacing the build under the running server.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "./support/app";

function npmStart(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = "";
  const child = spawn("npm", ["start", "--silent"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

test("npm start serves the existing build; a second start that needs a build refuses", async () => {
  test.setTimeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-frontdoor-"));
  const env = {
    DATABASE_URL: `file:${path.join(dir, "app.db")}`,
    L9_REGISTRY_PATH: path.join(dir, "registry.json"),
    DOCKER_HOST: `unix://${path.join(dir, "no-docker.sock")}`,
  };
  const port = await freePort();
  const first = npmStart({ ...env, PORT: String(port) });
  try {
    await expect
      .poll(
        () =>
          fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
            (r) => r.status,
            () => 0,
          ),
        {
          timeout: 60_000,
        },
      )
      .toBe(503); // Docker is absent on purpose: degraded, but serving.
    expect(first.output()).not.toContain("[build] building");

    const second = npmStart({ ...env, PORT: String(await freePort()), L9_FORCE_BUILD: "1" });
    const code = await new Promise<number | null>((r) => second.child.once("exit", r));
    expect(code).toBe(3);
    expect(second.output()).toMatch(/is serving; rebuilding now would replace it under that server/);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(503);
  } finally {
    if (first.child.pid) process.kill(-first.child.pid, "SIGTERM");
    await new Promise((r) => first.child.once("exit", r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
