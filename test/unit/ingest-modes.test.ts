// Issue 25: a snapshot's mode, code_version and legacy_reads are validated; a bad value is a 400
// naming its field (the route stores nothing when the schema refuses).
import { describe, expect, test } from "vitest";
import { activeIndexersSnapshotSchema } from "../../lib/contracts/ingest";
import { zodToApiError } from "../../lib/http";

const snap = (extra: Record<string, unknown>) => ({
  instance_id: "mcp-1",
  started_at: "2026-12-01T10:00:00Z",
  taken_at: "2026-12-01T10:00:01Z",
  indexers: {},
  ...extra,
});
const site = { dict: "active_indexers", site: "/srv/o.py:238", count: 3, last_read: "2026-12-01T10:00:00Z" };

function refusal(body: unknown): { field?: string; message: string } | null {
  const r = activeIndexersSnapshotSchema.safeParse(body);
  if (r.success) return null;
  const e = zodToApiError(r.error);
  return { field: e.field, message: e.message };
}

describe("mode, code_version and legacy_reads", () => {
  test.each([
    [{ mode: "docker_first", code_version: "e94f4d8" }],
    [{ mode: "dict_first", code_version: "v1.2.0+build.7" }],
    [{ legacy_reads: { since: "2026-12-01T09:00:00Z", sites: [site] } }],
    [{}],
  ])("accepted: %j", (extra) => {
    expect(refusal(snap(extra))).toBeNull();
  });

  test.each<[Record<string, unknown>, string, RegExp]>([
    [{ mode: "phase-2" }, "mode", /must be one of dict_first, docker_first, write_through, docker_only/],
    [{ mode: 2 }, "mode", /must be one of/],
    [{ code_version: "" }, "code_version", /./],
    [{ code_version: "e94f4d8; rm -rf /" }, "code_version", /git SHA or a version string/],
    [{ code_version: "x".repeat(101) }, "code_version", /./],
    [{ legacy_reads: { since: "yesterday", sites: [] } }, "legacy_reads.since", /date-time/],
    [
      { legacy_reads: { since: "2026-12-01T09:00:00Z", sites: [{ ...site, dict: "project_registry" }] } },
      "legacy_reads.sites.0.dict",
      /./,
    ],
    [
      { legacy_reads: { since: "2026-12-01T09:00:00Z", sites: [{ ...site, count: -1 }] } },
      "legacy_reads.sites.0.count",
      /./,
    ],
  ])("refused: %j names %s", (extra, field, message) => {
    const r = refusal(snap(extra));
    expect(r?.field).toBe(field);
    expect(r?.message).toMatch(message);
  });
});
