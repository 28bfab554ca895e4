// The wire side of a simulated orchestrator: the labels it writes and how it posts to ingest.
import { projectHash } from "../core/paths";
import { branchIsTest, SIM_LABEL, type SimOptions } from "./orchestrator-options";

/** The labels the orchestrator (main, upstream or the ADR branch) puts on a container. */
export function simLabels(opts: SimOptions, project: string, port: number | ""): Record<string, string> {
  const projectPath = `/home/dev/${project}`;
  const base: Record<string, string> = {
    "com.l9.managed": "true",
    "com.l9.project": project,
    "com.l9.created": String(Math.floor(Date.now() / 1000)),
    [SIM_LABEL]: opts.runId,
  };
  if (opts.phase >= 1 && !opts.upstream) {
    // The branch's Phase 1 code cuts the hash to 12 hex characters (CONTRACT 7d).
    const hash = projectHash(projectPath);
    base["com.l9.project_hash"] = opts.branch ? hash.slice(0, 12) : hash;
    base["com.l9.port"] = String(port);
    base["com.l9.project_path"] = projectPath;
  }
  if (opts.branch && branchIsTest(project)) base["com.l9.test"] = "true";
  return base;
}

/** Delivers a body to an ingest route (or to the tests' deliver hook); failures are logged, never thrown. */
export async function postToIngest(opts: SimOptions, path: string, body: unknown): Promise<void> {
  if (opts.deliver) return opts.deliver(path, body);
  if (!opts.ingestUrl) return;
  try {
    const res = await fetch(`${opts.ingestUrl}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(3000),
    });
    if (res.status !== 202) opts.log?.(`[sim] ${path} answered ${res.status}: ${await res.text()}`);
  } catch (err) {
    opts.log?.(`[sim] ${path} failed: ${(err as Error).message}`);
  }
}
