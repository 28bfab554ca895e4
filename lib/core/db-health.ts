// What health says about the database (issue 28 item 7): a bounded probe of this moment and
// the outcome of the last write that mattered (a poll's, or an agent delivery's), decided
// here without I/O. A database that cannot be written is never "ok".

/** The outcome of the latest write, and how many in a row failed. */
export type DbWriteOutcome = {
  ok: boolean;
  at: Date;
  /** people's words for the failure (describeDbError), null when ok */
  error: string | null;
  consecutiveFailures: number;
  lastOkAt: Date | null;
};

/** A bounded probe: could a write lock be taken (SQLite), did a query answer (both)? */
export type DbProbe =
  | { kind: "ok"; latencyMs: number }
  | { kind: "busy"; waitedMs: number }
  | { kind: "timeout"; waitedMs: number }
  | { kind: "error"; message: string };

export type DbVerdict = { status: "ok" | "busy" | "error"; error: string | null; reasons: string[] };

const BUSY = /SQLITE_BUSY|SQLITE_LOCKED|database is locked|database table is locked|\bbusy\b/i;

/** True for a failure that waiting may cure (another connection holds the lock). */
export const isBusyError = (message: string): boolean => BUSY.test(message);

/** A driver's error in a few words people can act on, with SQLite's code when it gave one. */
export function describeDbError(message: string): string {
  const code = /SQLITE_[A-Z_]+/.exec(message)?.[0];
  const withCode = (words: string) => (code ? `${words} (${code})` : words);
  if (isBusyError(message)) return "database busy (locked by another connection)";
  if (/SQLITE_FULL|database or disk is full|ENOSPC/i.test(message)) return withCode("disk full");
  if (/SQLITE_READONLY|readonly database|read-only/i.test(message)) return withCode("database is read-only");
  if (/SQLITE_IOERR|disk I\/O error|EFBIG|EIO\b/i.test(message)) return withCode("disk I/O error on write");
  if (/SQLITE_CANTOPEN|unable to open/i.test(message)) return withCode("database file cannot be opened");
  const first = message.split("\n").find((l) => l.trim() !== "") ?? "unknown error";
  return first.trim().slice(0, 160);
}

/** The next outcome after a write at `at` (error: the driver's message, null when it worked). */
export function nextWriteOutcome(
  prev: DbWriteOutcome | null,
  at: Date,
  error: string | null,
): DbWriteOutcome {
  if (error === null) return { ok: true, at, error: null, consecutiveFailures: 0, lastOkAt: at };
  return {
    ok: false,
    at,
    error: describeDbError(error),
    consecutiveFailures: (prev && !prev.ok ? prev.consecutiveFailures : 0) + 1,
    lastOkAt: prev?.lastOkAt ?? null,
  };
}

/** The database's status and the reasons health gives, from the probe and the last write. */
export function dbVerdict(probe: DbProbe, lastWrite: DbWriteOutcome | null): DbVerdict {
  const reasons: string[] = [];
  let status: DbVerdict["status"] = "ok";
  let error: string | null = null;
  if (probe.kind === "busy") {
    status = "busy";
    error = "database busy (locked by another connection)";
    reasons.push(`${error}: no write lock within ${probe.waitedMs} ms`);
  } else if (probe.kind === "timeout") {
    status = "error";
    error = `database did not answer within ${probe.waitedMs} ms`;
    reasons.push(error);
  } else if (probe.kind === "error") {
    status = "error";
    error = describeDbError(probe.message);
    reasons.push(`database unavailable: ${error}`);
  }
  if (lastWrite && !lastWrite.ok) {
    if (status === "ok") status = "error";
    error ??= lastWrite.error;
    const n = lastWrite.consecutiveFailures;
    reasons.push(
      `last poll write failed at ${lastWrite.at.toISOString()}: ${lastWrite.error} (${n} in a row` +
        `${lastWrite.lastOkAt ? `; last stored ${lastWrite.lastOkAt.toISOString()}` : ""})`,
    );
  }
  return { status, error, reasons };
}
