// CONTRACT 7d: the Phase 1 code writes com.l9.project_hash as sha256(path)[:12]. A prefix of
// the right hash is told apart from a wrong hash, with what it breaks.
import { projectHash } from "../paths";

export type HashVerdict = "ok" | "label_hash_truncated" | "label_hash_invalid";

/** The hash label against sha256 of the path label. */
export function hashVerdict(hash: string, projectPath: string): HashVerdict {
  const want = projectHash(projectPath);
  if (hash === want) return "ok";
  // Lower-case only, as sha256's hex digest is: an upper-case value is a wrong hash.
  if (hash.length >= 12 && hash.length < want.length && /^[0-9a-f]+$/.test(hash) && want.startsWith(hash))
    return "label_hash_truncated";
  return "label_hash_invalid";
}

export function truncatedHashMessage(shortId: string, hash: string, projectPath: string): string {
  return (
    `container ${shortId}: the hash is cut to ${hash.length} characters (${hash}): the ADR specifies the ` +
    `full sha256 of ${projectPath}; a lookup by the full hash will not find this container`
  );
}

/** The label issues that make a new container's labels invalid (Phase 1's labels_valid). */
export function invalidLabelKinds(hashPrefixOk: boolean): ReadonlySet<string> {
  return new Set(
    hashPrefixOk
      ? ["label_hash_invalid", "label_port_mismatch"]
      : ["label_hash_invalid", "label_hash_truncated", "label_port_mismatch"],
  );
}
