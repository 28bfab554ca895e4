// Python's os.path.abspath(os.path.normpath(p)) for POSIX paths, and the label hash built on
// it. Pure: a relative path is normalised but not made absolute (we cannot know the
// orchestrator's working directory), and the contract says the label is absolute anyway.
import { createHash } from "node:crypto";

export function pyNormpath(p: string): string {
  if (p === "") return ".";
  // POSIX allows exactly two leading slashes to mean something else; Python keeps them.
  const initial = p.startsWith("//") && !p.startsWith("///") ? 2 : p.startsWith("/") ? 1 : 0;
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (
      part !== ".." ||
      (initial === 0 && out.length === 0) ||
      (out.length > 0 && out[out.length - 1] === "..")
    )
      out.push(part);
    else if (out.length > 0) out.pop();
  }
  const joined = "/".repeat(initial) + out.join("/");
  return joined || ".";
}

// Memoised: a container's labels never change, so a poll hashes the same paths again.
const HASH_MEMO_MAX = 50_000;
const memo = new Map<string, string>();

export function projectHash(projectPath: string): string {
  const hit = memo.get(projectPath);
  if (hit !== undefined) return hit;
  const h = createHash("sha256").update(pyNormpath(projectPath), "utf8").digest("hex");
  if (memo.size >= HASH_MEMO_MAX) memo.clear();
  memo.set(projectPath, h);
  return h;
}
