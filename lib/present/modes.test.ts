import { describe, expect, test } from "vitest";
import { apiHost } from "./agent";
import type { ApiSource, ApiState } from "../contracts/state";
import type { HostRecord } from "../contracts/agent";

const src = (id: string, extra: Partial<ApiSource>): ApiSource => ({
  id,
  kind: "active_indexers",
  status: "ok",
  ...extra,
});

describe("issue 25: the hosts page's modes", () => {
  test("a host lists its live processes' distinct modes, a stale one's left out", () => {
    const t = new Date("2026-12-01T10:00:00Z");
    const h: HostRecord = {
      name: "ana",
      agentId: 1,
      agentVersion: "1",
      firstSeenAt: t,
      receivedAt: t,
      lastPollId: 1,
      lastPolledAt: t,
      pollsStored: 1,
      firstPollId: 1,
      buffered: 0,
      dropped: 0,
      stateHash: "",
      state: {
        sources: [
          src("active_indexers:a", { mode: "docker_first", code_version: "e94f4d8" }),
          src("active_indexers:b", { mode: "docker_first", code_version: "e94f4d8" }),
          src("active_indexers:c", { mode: "dict_first" }),
          src("active_indexers:d", { mode: "dict_first", status: "stale", code_version: "old" }),
        ],
        projects: [],
        summary: { diverged: 0 },
        docker: { reachable: true },
      } as unknown as ApiState,
    };
    expect(apiHost(h, t, 60_000).modes).toEqual(["dict_first", "docker_first · e94f4d8"]);
  });
});
