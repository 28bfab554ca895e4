// container_registry adapter: the ProjectContextManager's JSON file, read whole each poll
// (it is replaced atomically). Never throws: missing or unreadable with the reason.
import fs from "node:fs/promises";
import { statSync } from "node:fs";
import { z } from "zod";
import type { Source, SourceEntry } from "../core/types";
import type { ApiSource } from "../contracts/state";
import { log } from "../log";

export type RegistryErrorKind = "parse" | "permission" | "unreachable";

const portValue = z.union([z.number(), z.string(), z.null()]).superRefine((v, ctx) => {
  if (v === null) return;
  const ok =
    typeof v === "number"
      ? Number.isInteger(v) && v >= 1 && v <= 65535
      : /^\d{1,5}$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 65535;
  if (!ok) ctx.addIssue({ code: "custom", message: `is not a port number (${JSON.stringify(v)})` });
});

export const registryFileSchema = z
  .object({
    projects: z.record(z.string(), z.string()).optional(),
    last_activity: z.record(z.string(), z.string().nullable()).optional(),
    active_project: z.string().nullable().optional(),
    active_project_path: z.string().nullable().optional(),
    container_ports: z.record(z.string(), portValue).optional(),
    version: z.string().optional(),
    updated: z.string().nullable().optional(),
  })
  .loose();

export type RegistryRead =
  | {
      status: "ok";
      entries: Map<string, SourceEntry>;
      /** project names under `projects`: known, with or without container data */
      known: Set<string>;
      updated: string | null;
      bytes: number;
    }
  | { status: "missing"; reason: string }
  | { status: "unreadable"; kind: RegistryErrorKind; reason: string };

export function parseRegistry(text: string): RegistryRead {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { status: "unreadable", kind: "parse", reason: `not valid JSON: ${(err as Error).message}` };
  }
  const parsed = registryFileSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return {
      status: "unreadable",
      kind: "parse",
      reason: `wrong type at ${i?.path.join(".") || "(root)"}: ${i?.message}`,
    };
  }
  const entries = new Map<string, SourceEntry>();
  for (const [project, port] of Object.entries(parsed.data.container_ports ?? {})) {
    entries.set(project, { containerId: null, port: port === null ? null : Number(port) });
  }
  const known = new Set(Object.keys(parsed.data.projects ?? {}));
  return { status: "ok", entries, known, updated: parsed.data.updated ?? null, bytes: text.length };
}

/**
 * Reads the registry file. `cache` (per caller) skips re-reading a file whose inode, size and
 * mtime are unchanged since the last read: the writer replaces it with a rename (new inode), and
 * an in-place write changes size or mtime.
 */
export async function readRegistry(
  path: string,
  cache?: { key: string; read: RegistryRead },
): Promise<RegistryRead & { cacheKey?: string }> {
  let text: string;
  let key: string | undefined;
  try {
    const st = statSync(path);
    key = `${st.ino}:${st.size}:${st.mtimeMs}`;
    if (cache && cache.key === key && cache.read.status === "ok") return { ...cache.read, cacheKey: key };
    text = await fs.readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { status: "missing", reason: `no file at ${path}` };
    if (code === "EACCES" || code === "EPERM")
      return { status: "unreadable", kind: "permission", reason: `permission denied reading ${path}` };
    if (code === "EISDIR") return { status: "unreadable", kind: "parse", reason: `${path} is a directory` };
    return {
      status: "unreadable",
      kind: "unreachable",
      reason: `cannot read ${path}: ${(err as Error).message}`,
    };
  }
  return { ...parseRegistry(text), cacheKey: key };
}

/**
 * The registry file as a source: the file's cache, the last read and the last good one.
 * `read` is called once per poll; `source` and `apiSource` describe what it last saw.
 */
export class RegistrySource {
  private cache: { key: string; read: RegistryRead } | undefined;
  private last: RegistryRead | null = null;
  private readAt: Date | null = null;
  private goodAt: Date | null = null;

  constructor(readonly path: string) {}

  async read(at: Date): Promise<void> {
    const read = await readRegistry(this.path, this.cache);
    this.cache = read.cacheKey ? { key: read.cacheKey, read } : undefined;
    if (this.last?.status !== read.status) {
      const fields = read.status === "ok" ? {} : { reason: read.reason };
      const level = read.status === "unreadable" ? "warn" : "info";
      log("collector", level, `registry file ${read.status}`, { path: this.path, ...fields });
    }
    this.last = read;
    this.readAt = at;
    if (read.status === "ok") this.goodAt = at;
  }

  /** The source for the divergence core; null before the first read. */
  source(): Source | null {
    const reg = this.last;
    if (!reg) return null;
    if (reg.status !== "ok") {
      return { id: "container_registry", kind: "registry_file", status: reg.status, entries: new Map() };
    }
    return {
      id: "container_registry",
      kind: "registry_file",
      status: "ok",
      entries: reg.entries,
      known: reg.known,
      // Issue 25: no snapshot time, so none of its checks is in flight. The file is read whole
      // every poll: what it says is the registry's state at this poll, not at its mtime (a file
      // nobody rewrites would otherwise keep a kill behind its back "in flight" for the ring's
      // 10 minutes).
      takenAtMs: null,
    };
  }

  apiSource(): ApiSource | null {
    const reg = this.last;
    if (!reg) return null;
    return {
      id: "container_registry",
      kind: "registry_file",
      status: reg.status,
      detail: this.path,
      error: reg.status === "ok" ? null : reg.reason,
      last_read_at: this.readAt?.toISOString() ?? null,
      last_good_at: this.goodAt?.toISOString() ?? null,
      entries: reg.status === "ok" ? reg.entries.size : undefined,
    };
  }
}
