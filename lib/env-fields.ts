// The kinds of value configuration takes, as zod fields: bounded integers, a label selector,
// Docker and database URLs, token and webhook lists. lib/env.ts composes them into the schema.
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { isLoopbackHost } from "./core/access";

export const intFrom = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const labelSelector = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const pairs = raw
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    if (pairs.length === 0) {
      ctx.addIssue({ code: "custom", message: "needs at least one key=value pair" });
      return z.NEVER;
    }
    const out: { key: string; value: string }[] = [];
    // CONTRACT 7e: `key!=value` terms are applied by the product after Docker's filter.
    const exclude: { key: string; value: string }[] = [];
    for (const pair of pairs) {
      const ne = pair.indexOf("!=");
      const eq = pair.indexOf("=");
      if (ne > 0 && ne < eq + 1) {
        exclude.push({ key: pair.slice(0, ne).trim(), value: pair.slice(ne + 2).trim() });
        continue;
      }
      if (eq <= 0) {
        ctx.addIssue({ code: "custom", message: `"${pair}" is not key=value or key!=value` });
        return z.NEVER;
      }
      out.push({ key: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() });
    }
    if (out.length === 0) {
      ctx.addIssue({ code: "custom", message: "needs at least one key=value pair besides key!=value terms" });
      return z.NEVER;
    }
    return { include: out, exclude };
  });

export const dockerHost = z
  .string()
  .trim()
  .refine((v) => /^(unix:\/\/\/.+|tcp:\/\/[^/]+:\d+\/?|http:\/\/[^/]+:\d+\/?)$/.test(v), {
    message: "must be unix:///path/to/docker.sock or tcp://host:port",
  });

export const urlList = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const urls = raw
      .split(",")
      .map((u) => u.trim())
      .filter(Boolean);
    for (const u of urls) {
      if (!/^https?:\/\/[^\s]+$/.test(u) || !URL.canParse(u)) {
        ctx.addIssue({ code: "custom", message: `"${u}" is not an http(s) URL` });
        return z.NEVER;
      }
    }
    return urls;
  });

export const flag = z
  .enum(["0", "1", "true", "false", ""])
  .default("")
  .transform((v) => v === "1" || v === "true");

export const DEFAULT_DATABASE_URL = "file:./data/l9-state.db";

export const databaseUrl = z
  .string()
  .trim()
  .refine((v) => v.startsWith("file:") || (/^postgres(ql)?:\/\/\S+$/.test(v) && URL.canParse(v)), {
    message: "must be a SQLite file: URL (file:./data/l9-state.db) or postgresql://user@host:port/database",
  });

/** `L9_AGENT_TOKENS` (server role): comma-separated `host:token` pairs, one per agent. */
export const hostTokens = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const out: { host: string; token: string }[] = [];
    for (const part of raw
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^([A-Za-z0-9_.-]{1,64}):(.{16,})$/.exec(part);
      if (!m) {
        ctx.addIssue({
          code: "custom",
          message: `"${part.split(":")[0]}:…" is not host:token (a host name, then a token of 16 characters or more)`,
        });
        return z.NEVER;
      }
      if (out.some((o) => o.host === m[1])) {
        ctx.addIssue({ code: "custom", message: `the host "${m[1]}" is named twice` });
        return z.NEVER;
      }
      out.push({ host: m[1]!, token: m[2]! });
    }
    return out;
  });

export type Role = "standalone" | "agent" | "server";

/** `L9_INGEST_TOKEN`: one token (named "default") or comma-separated `name:token` pairs. */
export const tokenList = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const out: { name: string; token: string }[] = [];
    for (const part of raw
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^([A-Za-z0-9_.-]{1,64}):(.+)$/.exec(part);
      const entry = m ? { name: m[1]!, token: m[2]! } : { name: "default", token: part };
      if (out.some((o) => o.name === entry.name)) {
        ctx.addIssue({ code: "custom", message: `the name "${entry.name}" is used twice` });
        return z.NEVER;
      }
      out.push(entry);
    }
    return out;
  });

export const list = z
  .string()
  .trim()
  .transform((raw) =>
    raw
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean),
  );

export const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s]+$/.test(v) && URL.canParse(v), { message: "must be an http(s) URL" });

/** `L9_WEBHOOKS`: comma-separated `json:<url>` or `slack:<url>` channels. */
export const webhookList = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const out: { name: string; kind: "json" | "slack"; url: string }[] = [];
    for (const part of raw
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^(json|slack):(https?:\/\/\S+)$/.exec(part);
      if (!m || !URL.canParse(m[2]!)) {
        ctx.addIssue({ code: "custom", message: `"${part.slice(0, 12)}…" is not json:<url> or slack:<url>` });
        return z.NEVER;
      }
      out.push({ name: `env-${out.length + 1}`, kind: m[1] as "json" | "slack", url: m[2]! });
    }
    return out;
  });

export { isLoopbackHost };

/** A host as the URL parser writes it (decimal, octal and hex IPv4 made dotted), without brackets or a final dot. */
export const normalHost = (hostname: string) => hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "");

/** `L9_WEBHOOK_ALLOWED_HOSTS`: comma-separated `host` or `host:port` (IPv6 in brackets); `*`: every public host. */
export const allowedHosts = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const out: { host: string; port: number | null }[] = [];
    for (const part of raw
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      if (part === "*") {
        out.push({ host: "*", port: null });
        continue;
      }
      const m = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/@[\]?#]+)(?::(\d{1,5}))?$/.exec(part);
      const port = m?.[2] === undefined ? null : Number(m[2]);
      if (!m || !URL.canParse(`http://${m[1]}/`) || port === 0 || (port !== null && port > 65535)) {
        ctx.addIssue({
          code: "custom",
          message: `"${part}" is not a host or host:port (an IPv6 address in brackets: [fd00::1]:8080)`,
        });
        return z.NEVER;
      }
      out.push({ host: normalHost(new URL(`http://${m[1]}/`).hostname), port });
    }
    return out;
  });

export function expandHome(p: string): string {
  if (p === "~") return os.homedir();
  if (p.startsWith("~/")) return path.join(os.homedir(), p.slice(2));
  return p;
}
