// The collector's liveness, shared across Next's module instances through globalThis.
import { nextWriteOutcome, type DbWriteOutcome } from "../core/db-health";

type Status = {
  running: boolean;
  startedAt: Date;
  lastPollAt: Date | null;
  lastWrite: DbWriteOutcome | null;
};

const g = globalThis as typeof globalThis & { __l9CollectorStatus?: Status };

export function collectorStatus(): Status {
  g.__l9CollectorStatus ??= { running: false, startedAt: new Date(), lastPollAt: null, lastWrite: null };
  return g.__l9CollectorStatus;
}

/** Records the outcome of a write health reports on (a poll, or an agent's delivery). */
export function noteDbWrite(at: Date, error: string | null): void {
  const s = collectorStatus();
  s.lastWrite = nextWriteOutcome(s.lastWrite, at, error);
}
