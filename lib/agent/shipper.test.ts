import { describe, expect, test } from "vitest";
import { onceEach } from "./shipper";
import type { AgentPoll } from "../contracts/agent";

const proc = (instance_id: string, last_seen_at: string) => ({
  instance_id,
  started_at: "2026-12-01T10:00:00.000Z",
  first_seen_at: "2026-12-01T10:00:00.000Z",
  last_seen_at,
  taken_at: last_seen_at,
  ended_at: null,
  mode: "docker_first" as const,
  code_version: "e94f4d8",
  legacy_reads: null,
});
const poll = (id: number, processes?: ReturnType<typeof proc>[]) =>
  ({ id, ...(processes ? { processes } : {}) }) as unknown as AgentPoll;
const named = (polls: AgentPoll[]) =>
  polls.map((p) => (p.processes ?? []).map((x) => `${x.instance_id}@${x.last_seen_at.slice(11, 19)}`));

describe("a delivery names each process once (issue 25)", () => {
  test("in the newest poll that has it; polls of older agents without processes pass", () => {
    const polls = [
      poll(1, [proc("a", "2026-12-01T10:00:01.000Z"), proc("b", "2026-12-01T10:00:01.000Z")]),
      poll(2),
      poll(3, [proc("a", "2026-12-01T10:00:06.000Z")]),
      poll(4, []),
    ];
    expect(named(onceEach(polls))).toEqual([["b@10:00:01"], [], ["a@10:00:06"], []]);
  });
  test("one poll: unchanged", () => {
    expect(named(onceEach([poll(1, [proc("a", "2026-12-01T10:00:01.000Z")])]))).toEqual([["a@10:00:01"]]);
  });
});
