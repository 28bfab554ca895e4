// Run by resilience.test.ts: a collector polling as fast as it can until it is SIGKILLed.
import { parseEnv } from "../../lib/env";
import { getDb } from "../../lib/db";
import { ReadOnlyDocker } from "../../lib/docker/client";
import { Collector } from "../../lib/collector/collector";

const cfg = parseEnv(process.env);
const collector = new Collector({
  cfg,
  db: getDb(cfg.databaseUrl),
  docker: new ReadOnlyDocker(cfg.dockerHost, cfg.dockerTimeoutMs),
});
await collector.ready();
let n = 0;
for (;;) {
  await collector.pollOnce();
  n += 1;
  if (n === 3) process.stdout.write("polling\n");
}
