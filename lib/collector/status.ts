// The collector's liveness, shared across Next's module instances through globalThis.
type Status = { running: boolean; startedAt: Date; lastPollAt: Date | null };

const g = globalThis as typeof globalThis & { __l9CollectorStatus?: Status };

export function collectorStatus(): Status {
  g.__l9CollectorStatus ??= { running: false, startedAt: new Date(), lastPollAt: null };
  return g.__l9CollectorStatus;
}
