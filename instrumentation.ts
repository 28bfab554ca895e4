// Runs once per server process, before the first request: start the collector.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startCollector } = await import("./lib/collector/runtime");
  await startCollector();
}
