import { collectorStatus } from "./status";

const g = globalThis as typeof globalThis & { __l9CollectorStarted?: boolean };

/** Starts the background collector once per process. */
export async function startCollector(): Promise<void> {
  if (g.__l9CollectorStarted) return;
  g.__l9CollectorStarted = true;
  const status = collectorStatus();
  status.running = true;
}
