import { describe, expect, test } from "vitest";
import { hashVerdict, invalidLabelKinds, truncatedHashMessage } from "./labels";
import { computeDivergence } from "../divergence";
import { projectHash } from "../paths";
import type { Container } from "../types";

const PATH = "/tmp/x23-real/out/projects/alpha";
const FULL = projectHash(PATH);

describe("hashVerdict (CONTRACT 7d)", () => {
  test.each([
    ["the full hash", FULL, "ok"],
    ["the branch code's 12 hex", FULL.slice(0, 12), "label_hash_truncated"],
    ["a longer prefix", FULL.slice(0, 40), "label_hash_truncated"],
    ["63 characters", FULL.slice(0, 63), "label_hash_truncated"],
    ["11 characters: too short to be the truncation", FULL.slice(0, 11), "label_hash_invalid"],
    ["12 hex of another path", projectHash("/home/dev/beta").slice(0, 12), "label_hash_invalid"],
    ["a prefix in upper case", FULL.slice(0, 12).toUpperCase(), "label_hash_invalid"],
    ["the full hash in upper case", FULL.toUpperCase(), "label_hash_invalid"],
    ["not hex", "zz" + FULL.slice(2, 12), "label_hash_invalid"],
    ["longer than the hash", FULL + "00", "label_hash_invalid"],
  ])("%s: %s", (_name, hash, verdict) => {
    expect(hashVerdict(hash, PATH)).toBe(verdict);
  });

  test("the fixture container's label (sha256(path)[:12] as the branch writes it) is truncated", () => {
    // test/fixtures/adr-branch/docker-containers.json, container of test-widget
    expect(hashVerdict("3b641d558ff6", "/tmp/x23-real/out/projects/test-widget")).toBe(
      "label_hash_truncated",
    );
  });

  test("the message says what it breaks", () => {
    expect(truncatedHashMessage("3f9c2a1b7d0e", FULL.slice(0, 12), PATH)).toContain(
      "the hash is cut to 12 characters",
    );
    expect(truncatedHashMessage("3f9c2a1b7d0e", FULL.slice(0, 12), PATH)).toContain(
      "the ADR specifies the full sha256",
    );
    expect(truncatedHashMessage("3f9c2a1b7d0e", FULL.slice(0, 12), PATH)).toContain(
      "a lookup by the full hash will not find this container",
    );
  });
});

describe("invalidLabelKinds: L9_LABEL_HASH_PREFIX_OK", () => {
  test.each([
    [false, "label_hash_truncated", true],
    [true, "label_hash_truncated", false],
    [true, "label_hash_invalid", true],
    [false, "label_port_mismatch", true],
    [true, "labels_missing", false],
  ])("prefix ok %s: %s makes the labels invalid: %s", (ok, kind, invalid) => {
    expect(invalidLabelKinds(ok).has(kind)).toBe(invalid);
  });
});

describe("in the divergence result", () => {
  const ctr = (hash: string): Container => ({
    id: "a1".repeat(32),
    name: "indexer-alpha",
    project: "alpha",
    state: "running",
    createdMs: 1,
    labels: {
      "com.l9.managed": "true",
      "com.l9.project": "alpha",
      "com.l9.project_hash": hash,
      "com.l9.port": "48101",
      "com.l9.project_path": PATH,
    },
    port: 48101,
    boundPort: 48101,
  });
  test.each([
    [FULL.slice(0, 12), ["label_hash_truncated"], "warning"],
    ["0".repeat(64), ["label_hash_invalid"], "warning"],
    [FULL, [], "consistent"],
  ])("hash %s: %o, health %s", (hash, kinds, health) => {
    const r = computeDivergence({ docker: { reachable: true, containers: [ctr(hash)] }, sources: [] });
    const p = r.projects[0]!;
    expect(p.findings.map((f) => f.kind)).toEqual(kinds);
    expect(p.health).toBe(health);
  });
});
