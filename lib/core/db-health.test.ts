import { describe, expect, test } from "vitest";
import { dbVerdict, describeDbError, isBusyError, nextWriteOutcome, type DbWriteOutcome } from "./db-health";

const at = new Date("2026-12-01T10:00:00Z");
const later = new Date("2026-12-01T10:00:05Z");

describe("describeDbError", () => {
  test.each([
    ["SqliteError: database is locked", "database busy (locked by another connection)"],
    ["Error code SQLITE_BUSY", "database busy (locked by another connection)"],
    ["disk I/O error (SQLITE_IOERR_WRITE)", "disk I/O error on write (SQLITE_IOERR_WRITE)"],
    ["disk I/O error", "disk I/O error on write"],
    ["database or disk is full", "disk full"],
    ["attempt to write a readonly database SQLITE_READONLY", "database is read-only (SQLITE_READONLY)"],
    ["unable to open database file", "database file cannot be opened"],
    ["\n  Invalid `prisma.poll.create()` invocation\nmore", "Invalid `prisma.poll.create()` invocation"],
    ["", "unknown error"],
  ])("%j -> %s", (message, words) => {
    expect(describeDbError(message)).toBe(words);
  });

  test.each([
    ["database is locked", true],
    ["SQLITE_BUSY_SNAPSHOT", true],
    ["disk I/O error", false],
  ])("isBusyError(%j) is %s", (message, busy) => expect(isBusyError(message)).toBe(busy));
});

describe("nextWriteOutcome", () => {
  test("counts failures in a row and keeps the last good write", () => {
    const ok = nextWriteOutcome(null, at, null);
    expect(ok).toEqual({ ok: true, at, error: null, consecutiveFailures: 0, lastOkAt: at });
    const f1 = nextWriteOutcome(ok, later, "disk I/O error");
    expect(f1).toMatchObject({ ok: false, consecutiveFailures: 1, lastOkAt: at });
    const f2 = nextWriteOutcome(f1, later, "disk I/O error");
    expect(f2.consecutiveFailures).toBe(2);
    expect(nextWriteOutcome(f2, later, null)).toMatchObject({ ok: true, consecutiveFailures: 0 });
  });
});

describe("dbVerdict", () => {
  const failed: DbWriteOutcome = {
    ok: false,
    at: later,
    error: "disk I/O error on write (SQLITE_IOERR_WRITE)",
    consecutiveFailures: 3,
    lastOkAt: at,
  };
  const good: DbWriteOutcome = { ok: true, at, error: null, consecutiveFailures: 0, lastOkAt: at };
  test.each<[string, Parameters<typeof dbVerdict>[0], DbWriteOutcome | null, string, RegExp[]]>([
    ["all well", { kind: "ok", latencyMs: 1 }, good, "ok", []],
    ["nothing written yet", { kind: "ok", latencyMs: 1 }, null, "ok", []],
    ["locked now", { kind: "busy", waitedMs: 1000 }, good, "busy", [/^database busy \(locked.*1000 ms/]],
    ["no answer", { kind: "timeout", waitedMs: 1500 }, null, "error", [/did not answer within 1500 ms/]],
    [
      "cannot open",
      { kind: "error", message: "unable to open database file" },
      null,
      "error",
      [/unavailable/],
    ],
    [
      "the last write failed though the probe is fine",
      { kind: "ok", latencyMs: 1 },
      failed,
      "error",
      [/^last poll write failed at 2026-12-01T10:00:05.000Z: disk I\/O error.*3 in a row; last stored/],
    ],
    [
      "locked and failing",
      { kind: "busy", waitedMs: 1000 },
      failed,
      "busy",
      [/^database busy/, /^last poll write failed/],
    ],
  ])("%s", (_name, probe, last, status, reasons) => {
    const v = dbVerdict(probe, last);
    expect(v.status).toBe(status);
    expect(v.reasons).toHaveLength(reasons.length);
    reasons.forEach((re, i) => expect(v.reasons[i]).toMatch(re));
    expect(v.error === null).toBe(status === "ok");
  });
});
