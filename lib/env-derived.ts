// Values derived from a validated configuration or a database URL: file paths, a redacted URL
// for logs, the dialect of a URL, the app's public URL.
import os from "node:os";
import path from "node:path";
import type { Env } from "./env";

/** The SQLite file path behind a file: URL, resolved against the working directory. */
export function sqlitePath(databaseUrl: string): string {
  return path.resolve(databaseUrl.replace(/^file:/, ""));
}

/** A database URL fit for logs: a password in it is replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, "$1***@");
}

export const isPostgresUrl = (databaseUrl: string) => /^postgres(ql)?:\/\//.test(databaseUrl);

/** Where the app keeps local files (the session secret): beside a SQLite file, else ./data. */
export function dataDir(databaseUrl: string): string {
  return isPostgresUrl(databaseUrl) ? path.resolve("data") : path.dirname(sqlitePath(databaseUrl));
}

/** Where links in alerts and notifications point: the public URL, else the listen address. */
export function appUrl(cfg: Env): string {
  if (cfg.auth.publicUrl) return cfg.auth.publicUrl.replace(/\/$/, "");
  const host = cfg.hostname === "0.0.0.0" || cfg.hostname === "::" ? os.hostname() : cfg.hostname;
  return `http://${host.includes(":") ? `[${host}]` : host}:${cfg.port}`;
}

/** The longest range or window a query may cover: the history kept (named in the 400). */
export function retentionLimit(cfg: Pick<Env, "retentionDays">): { ms: number; name: string } {
  return {
    ms: cfg.retentionDays * 86400_000,
    name: `L9_RETENTION_DAYS=${cfg.retentionDays}, the history kept`,
  };
}
