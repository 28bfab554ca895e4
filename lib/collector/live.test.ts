// The live view's throttle (a server: listeners hear at most once a second): a delivery after a
// quiet second is heard at once (issue 26: another process's stream shows it without waiting
// out the throttle); deliveries within the second are heard once, at its end, with the latest.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { closeDb, getDb } from "../db";
import type { ApiState } from "../contracts/state";
import { LiveView } from "./live";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "l9-live-"));
const url = `file:${path.join(dir, "t.db")}`;
afterAll(async () => {
  await closeDb(url);
  fs.rmSync(dir, { recursive: true, force: true });
});

const state = (pollId: number): ApiState =>
  ({
    polled_at: null,
    poll_id: pollId,
    simulated: true,
    docker: { reachable: true, endpoint: "unix:///d.sock", latency_ms: 1, error: null, last_ok_at: null },
    sources: [],
    summary: { checks: 0, diverged: 0, divergence_rate: 0, projects: 0, health: {} },
    projects: [],
    unassigned_containers: [],
    collector: { poll_interval_ms: 1000, duration_ms: 1 },
  }) as unknown as ApiState;

test("a server's listeners hear a delivery at once after a quiet second, and at most once a second", async () => {
  let clock = Date.UTC(2026, 11, 2, 4);
  const live = new LiveView(
    getDb(url),
    { role: "server", pollIntervalMs: 1000, retentionDays: 30, server: { hostStaleMs: 60_000 } },
    () => new Date(clock),
    1000,
  );
  const heard: string[][] = [];
  let next: (() => void) | null = null;
  live.onPolled((s) => {
    heard.push(s.hosts ?? []);
    next?.();
  });

  live.set("ana", state(1), new Date(clock));
  expect(heard).toEqual([["ana"]]); // the first delivery: heard at once

  clock += 100;
  const trailing = new Promise<void>((r) => (next = r));
  live.set("bo", state(1), new Date(clock));
  live.set("cy", state(1), new Date(clock));
  expect(heard).toHaveLength(1); // within the second: not yet
  await trailing;
  expect(heard).toEqual([["ana"], ["ana", "bo", "cy"]]); // once, with both

  clock += 5000;
  next = null;
  live.set("ana", state(2), new Date(clock));
  expect(heard).toHaveLength(3); // a quiet second later: at once again
});

test("the fleet state is built once per change, host filter and staleness, and shared until then", () => {
  let clock = Date.UTC(2026, 11, 2, 5);
  const live = new LiveView(
    getDb(url),
    { role: "server", pollIntervalMs: 1000, retentionDays: 30, server: { hostStaleMs: 60_000 } },
    () => new Date(clock),
  );
  live.set("ana", state(1), new Date(clock));
  live.set("bo", state(1), new Date(clock));
  const a = live.state();
  expect(live.state()).toBe(a); // nothing changed: the same object
  const onlyBo = live.state(["bo"]);
  expect(onlyBo).not.toBe(a);
  expect(live.state(["bo"])).toBe(onlyBo);
  expect(live.state()).toBe(a); // both filters kept

  live.touch("ana", new Date(clock)); // a receipt time only: nothing shown moved
  expect(live.state()).toBe(a);
  clock += 61_000; // both hosts turn stale: built anew
  const stale = live.state();
  expect(stale).not.toBe(a);
  live.touch("ana", new Date(clock)); // ana is fresh again
  expect(live.state()).not.toBe(stale);

  live.set("bo", state(2), new Date(clock)); // a change: built anew
  const b = live.state()!;
  expect(b).not.toBe(a);
  expect(b.poll_id).not.toBe(a!.poll_id);
  live.load("cy", state(1), new Date(clock)); // a host loaded from the database: built anew
  expect(live.state()!.hosts).toEqual(["ana", "bo", "cy"]);
});
