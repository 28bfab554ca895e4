// The read-only choke point, proven against a real HTTP server on a unix socket that
// records every request that reaches it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { ReadOnlyDocker, ReadOnlyViolation, dockerCounters } from "./client";

let server: http.Server;
let socketPath: string;
let dir: string;
const seen: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-ro-"));
  socketPath = path.join(dir, "d.sock");
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.setHeader("content-type", "application/json");
    if (req.url?.includes("/_ping")) return res.end("OK");
    if (req.url?.includes("/containers/json")) return res.end("[]");
    res.end("{}");
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
});

afterAll(
  () =>
    new Promise<void>((r) =>
      server.close(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        r();
      }),
    ),
);

describe("ReadOnlyDocker", () => {
  test("reads pass through as GET", async () => {
    const docker = new ReadOnlyDocker(`unix://${socketPath}`, 2000);
    seen.length = 0;
    await docker.ping();
    await docker.listContainers([{ key: "com.l9.managed", value: "true" }]);
    expect(seen).toHaveLength(2);
    expect(seen.every((s) => s.startsWith("GET "))).toBe(true);
    expect(seen[1]).toContain("all=true");
    expect(decodeURIComponent(seen[1] ?? "")).toContain("com.l9.managed=true");
  });

  test.each([
    ["create", (d: ReadOnlyDocker) => d.unsafeRawForTest.createContainer({ Image: "x" })],
    ["start", (d: ReadOnlyDocker) => d.unsafeRawForTest.getContainer("abc").start()],
    ["stop", (d: ReadOnlyDocker) => d.unsafeRawForTest.getContainer("abc").stop()],
    ["kill", (d: ReadOnlyDocker) => d.unsafeRawForTest.getContainer("abc").kill()],
    ["remove", (d: ReadOnlyDocker) => d.unsafeRawForTest.getContainer("abc").remove()],
    ["exec", (d: ReadOnlyDocker) => d.unsafeRawForTest.getContainer("abc").exec({ Cmd: ["sh"] })],
    ["rename", (d: ReadOnlyDocker) => d.unsafeRawForTest.getContainer("abc").rename({ name: "y" })],
    ["update", (d: ReadOnlyDocker) => d.unsafeRawForTest.getContainer("abc").update({})],
    ["prune", (d: ReadOnlyDocker) => d.unsafeRawForTest.pruneContainers()],
  ])("%s is refused before it reaches the socket", async (_name, call) => {
    const docker = new ReadOnlyDocker(`unix://${socketPath}`, 2000);
    seen.length = 0;
    const before = dockerCounters.refusedWrites;
    await expect(call(docker)).rejects.toBeInstanceOf(ReadOnlyViolation);
    expect(seen).toEqual([]);
    expect(dockerCounters.refusedWrites).toBe(before + 1);
  });
});
