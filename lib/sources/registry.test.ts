// RegistrySource on real files: status, last good read and the cache of an unchanged file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { RegistrySource } from "./registry";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-registry-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const at = (s: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, s));

describe("RegistrySource", () => {
  test("nothing before the first read", () => {
    const r = new RegistrySource(path.join(dir, "none.json"));
    expect(r.source()).toBeNull();
    expect(r.apiSource()).toBeNull();
  });

  test("missing, then ok, then unreadable keeps the last good time and reports the reason", async () => {
    const file = path.join(dir, "a.json");
    const r = new RegistrySource(file);
    await r.read(at(0));
    expect(r.source()).toMatchObject({ status: "missing", entries: new Map() });

    fs.writeFileSync(file, JSON.stringify({ container_ports: { alpha: "48101", beta: 48102 } }));
    await r.read(at(5));
    expect(r.source()?.entries.get("alpha")).toEqual({ containerId: null, port: 48101 });
    expect(r.apiSource()).toMatchObject({ status: "ok", entries: 2, last_good_at: at(5).toISOString() });

    fs.writeFileSync(file, "{ torn");
    await r.read(at(10));
    expect(r.source()).toMatchObject({ status: "unreadable", entries: new Map() });
    expect(r.apiSource()).toMatchObject({
      status: "unreadable",
      error: expect.stringMatching(/not valid JSON/),
      last_read_at: at(10).toISOString(),
      last_good_at: at(5).toISOString(),
    });
  });

  test("a file replaced by rename is read again; an unchanged one is not re-parsed", async () => {
    const file = path.join(dir, "b.json");
    fs.writeFileSync(file, JSON.stringify({ container_ports: { alpha: 48101 } }));
    const r = new RegistrySource(file);
    await r.read(at(0));
    const first = r.source()?.entries;
    await r.read(at(1));
    expect(r.source()?.entries).toBe(first);
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ container_ports: { alpha: 48199 } }));
    fs.renameSync(tmp, file);
    await r.read(at(2));
    expect(r.source()?.entries.get("alpha")?.port).toBe(48199);
  });
});
