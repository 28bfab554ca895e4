// Small stored histories for the predictor's table tests (one host, polls a second apart).
import { projectHash } from "../paths";
import type { HistContainer, HostHistory } from "./types";

export const T0 = Date.parse("2026-11-30T00:00:00Z");

export function container(
  id: string,
  project: string | null,
  over: Partial<HistContainer> = {},
): HistContainer {
  const path = `/home/dev/${project ?? "x"}`;
  return {
    id: id.padEnd(64, "0"),
    name: `indexer-${project ?? "x"}`,
    labels: project
      ? {
          "com.l9.managed": "true",
          "com.l9.project": project,
          "com.l9.project_path": path,
          "com.l9.project_hash": projectHash(path),
          "com.l9.port": "48100",
        }
      : { "com.l9.managed": "true" },
    labelIssues: [],
    port: 48100,
    createdMs: T0 - 1000,
    firstSeenMs: T0 - 1000,
    stoppedMs: null,
    removedMs: null,
    ...over,
  };
}

/** `n` reachable polls, every listed legacy source holding each of `held` throughout. */
export function history(
  n: number,
  held: readonly string[],
  containers: HistContainer[],
  over: Partial<HostHistory> = {},
): HostHistory {
  return {
    host: "",
    polls: Array.from({ length: n }, (_, i) => ({ atMs: T0 + i * 1000, seq: i + 1, reachable: true })),
    pollsInWindow: n,
    outages: [],
    runs: held.map((project) => ({ project, source: "container_registry", startSeq: 1, endSeq: null })),
    notHeld: [],
    containers,
    reads: [],
    readsInWindow: 0,
    ...over,
  };
}
