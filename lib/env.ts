// The one place configuration is read. Every variable of CONTRACT.md section 4, plus a few
// of our own (documented in the README), validated once; a bad value names the variable.
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import type { AuthModeName } from "./core/access";

import {
  databaseUrl,
  dockerHost,
  expandHome,
  flag,
  hostTokens,
  httpUrl,
  intFrom,
  labelSelector,
  list,
  tokenList,
  urlList,
  webhookList,
  DEFAULT_DATABASE_URL,
  isLoopbackHost,
  allowedHosts,
  type Role,
} from "./env-fields";

export { DEFAULT_DATABASE_URL, isLoopbackHost, normalHost, type Role } from "./env-fields";
export { appUrl, dataDir, isPostgresUrl, redactUrl, retentionLimit, sqlitePath } from "./env-derived";

const variables = z.object({
  DOCKER_HOST: dockerHost.default("unix:///var/run/docker.sock"),
  L9_LABEL_SELECTOR: labelSelector.prefault("com.l9.managed=true"),
  L9_REGISTRY_PATH: z.string().trim().min(1).default("~/.claude/project_registry.json").transform(expandHome),
  L9_ORCHESTRATOR_URLS: urlList.prefault(""),
  L9_INGEST_TOKEN: tokenList.prefault(""),
  L9_POLL_INTERVAL_MS: intFrom(100, 3_600_000).default(5000),
  L9_INSTANCE_STALE_MS: intFrom(1000).optional(),
  DATABASE_URL: databaseUrl.default(DEFAULT_DATABASE_URL),
  PORT: intFrom(0, 65535).default(3000),
  HOSTNAME: z.string().trim().min(1).default("127.0.0.1"),
  // Ours, beyond the contract:
  L9_DOCKER_TIMEOUT_MS: intFrom(100, 120_000).default(3000),
  L9_RETENTION_DAYS: intFrom(1, 3650).default(90),
  // One request can never make a poll compare more than this (issue 28).
  L9_MAX_PROJECTS: intFrom(1, 1_000_000).default(2000),
  L9_CURRENT_PHASE: intFrom(0, 4).optional(),
  L9_SIMULATED: flag,
  /** CONTRACT 7d: accept the branch code's 12-hex hash prefix in Phase 1's labels_valid */
  L9_LABEL_HASH_PREFIX_OK: flag,
  L9_CHROMIUM_PATH: z.string().trim().min(1).default("/usr/bin/chromium"),
  L9_PDF_TIMEOUT_MS: intFrom(1, 600_000).default(30_000),
  // Set by scripts/server.mjs, which overwrites x-l9-peer with the TCP peer on every request.
  L9_PEER_HEADER_TRUSTED: flag,
  // Who may write (CONTRACT 6g): sign-in modes, roles, sessions.
  L9_OIDC_ISSUER: httpUrl.optional(),
  L9_OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  L9_OIDC_CLIENT_SECRET: z.string().trim().min(1).optional(),
  L9_PUBLIC_URL: httpUrl.optional(),
  L9_AUTH_PROXY_HEADER: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]+$/, "must be a header name")
    .optional(),
  L9_AUTH_PROXY_TRUSTED: list.prefault(""),
  L9_ALLOW_ANONYMOUS_WRITES: flag,
  L9_REQUIRE_SIGN_IN: flag,
  L9_EDITORS: list.prefault(""),
  L9_REVIEW_MIN_SIGN_OFFS: intFrom(1, 100).default(1),
  L9_REVIEW_UNDO_SECONDS: intFrom(0, 3600).default(30),
  L9_SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  // Built-in notifications: webhook channels and how long a condition holds before it fires.
  L9_WEBHOOKS: webhookList.prefault(""),
  L9_NOTIFY_AFTER: z
    .string()
    .trim()
    .regex(/^(\d+(ms|s|m|h|d))+$/, "must be a duration such as 30s, 5m or 1h")
    .optional(),
  L9_NOTIFY_RATE_PER_MIN: intFrom(1, 10_000).default(20),
  // Loopback, private and other special addresses a webhook may reach (lib/notify/address.ts).
  L9_WEBHOOK_ALLOWED_HOSTS: allowedHosts.prefault(""),
  L9_ACK_MAX_DAYS: intFrom(1, 3650).default(30),
  // Many hosts (issue 14): agents on each machine send their polls to one server.
  L9_ROLE: z.enum(["standalone", "agent", "server"]).default("standalone"),
  L9_SERVER_URL: httpUrl.optional(),
  L9_AGENT_TOKEN: z.string().trim().min(16, "must be at least 16 characters").optional(),
  L9_HOST_NAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, '.', '_' and '-' only (at most 64)")
    .optional(),
  L9_AGENT_TOKENS: hostTokens.prefault(""),
  L9_AGENT_BUFFER_MAX: intFrom(10, 10_000_000).default(17_280),
  L9_AGENT_DELIVER_EVERY_MS: intFrom(0, 600_000).default(0),
  L9_HOST_STALE_MS: intFrom(1000).optional(),
});

export type AuthMode = AuthModeName;

const schema = variables
  .superRefine((e, ctx) => {
    const oidc = [e.L9_OIDC_ISSUER, e.L9_OIDC_CLIENT_ID, e.L9_OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["L9_OIDC_ISSUER"],
        message: "OpenID Connect needs L9_OIDC_ISSUER, L9_OIDC_CLIENT_ID and L9_OIDC_CLIENT_SECRET together",
      });
    }
    if (e.L9_OIDC_ISSUER && e.L9_AUTH_PROXY_HEADER) {
      ctx.addIssue({
        code: "custom",
        path: ["L9_AUTH_PROXY_HEADER"],
        message: "choose one sign-in mode: OpenID Connect (L9_OIDC_*) or a trusted proxy header",
      });
    }
    if (e.L9_AUTH_PROXY_HEADER && e.L9_AUTH_PROXY_TRUSTED.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["L9_AUTH_PROXY_TRUSTED"],
        message: "name the proxy's addresses: the header is honoured only from them",
      });
    }
    if (e.L9_ROLE === "agent") {
      for (const key of ["L9_SERVER_URL", "L9_AGENT_TOKEN"] as const)
        if (!e[key])
          ctx.addIssue({ code: "custom", path: [key], message: "an agent (L9_ROLE=agent) needs it" });
    }
    if (e.L9_ROLE === "server" && e.L9_AGENT_TOKENS.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["L9_AGENT_TOKENS"],
        message: "a server (L9_ROLE=server) needs host:token pairs, one per agent",
      });
    }
    const signIn = e.L9_OIDC_ISSUER || e.L9_AUTH_PROXY_HEADER;
    // Local mode has one identity per installation (CONTRACT 6g): roles and several
    // sign-offs need people who cannot choose their own name.
    const oneIdentity =
      "local mode has one identity (the single local user, under the name given first), so it " +
      "needs OpenID Connect (L9_OIDC_*) or a trusted proxy header (L9_AUTH_PROXY_HEADER)";
    if (!signIn && e.L9_EDITORS.length > 0) {
      ctx.addIssue({ code: "custom", path: ["L9_EDITORS"], message: `editors are people: ${oneIdentity}` });
    }
    if (!signIn && e.L9_REVIEW_MIN_SIGN_OFFS > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["L9_REVIEW_MIN_SIGN_OFFS"],
        message: `${e.L9_REVIEW_MIN_SIGN_OFFS} distinct sign-offs need as many people: ${oneIdentity}`,
      });
    }
    if (!signIn && !isLoopbackHost(e.HOSTNAME) && !e.L9_ALLOW_ANONYMOUS_WRITES) {
      ctx.addIssue({
        code: "custom",
        path: ["HOSTNAME"],
        message:
          `bound to ${e.HOSTNAME}, not loopback, with no sign-in: configure OpenID Connect (L9_OIDC_*) or ` +
          "a trusted proxy header (L9_AUTH_PROXY_HEADER), or set L9_ALLOW_ANONYMOUS_WRITES=1 to accept " +
          "writes from anyone who reaches it",
      });
    }
  })
  .transform((e) => ({
    dockerHost: e.DOCKER_HOST,
    labelSelector: e.L9_LABEL_SELECTOR.include,
    labelExclude: e.L9_LABEL_SELECTOR.exclude,
    registryPath: path.resolve(e.L9_REGISTRY_PATH),
    orchestratorUrls: e.L9_ORCHESTRATOR_URLS,
    ingestTokens: e.L9_INGEST_TOKEN,
    pollIntervalMs: e.L9_POLL_INTERVAL_MS,
    instanceStaleMs: e.L9_INSTANCE_STALE_MS ?? Math.max(3 * e.L9_POLL_INTERVAL_MS, 30_000),
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    hostname: e.HOSTNAME,
    dockerTimeoutMs: e.L9_DOCKER_TIMEOUT_MS,
    retentionDays: e.L9_RETENTION_DAYS,
    /** projects in one orchestrator snapshot, and in all live instances' snapshots together */
    maxProjects: e.L9_MAX_PROJECTS,
    currentPhase: e.L9_CURRENT_PHASE,
    simulated: e.L9_SIMULATED,
    labelHashPrefixOk: e.L9_LABEL_HASH_PREFIX_OK,
    chromiumPath: e.L9_CHROMIUM_PATH,
    pdfTimeoutMs: e.L9_PDF_TIMEOUT_MS,
    peerHeaderTrusted: e.L9_PEER_HEADER_TRUSTED,
    auth: {
      mode: (e.L9_OIDC_ISSUER ? "oidc" : e.L9_AUTH_PROXY_HEADER ? "proxy" : "local") as AuthMode,
      oidc:
        e.L9_OIDC_ISSUER && e.L9_OIDC_CLIENT_ID && e.L9_OIDC_CLIENT_SECRET
          ? { issuer: e.L9_OIDC_ISSUER, clientId: e.L9_OIDC_CLIENT_ID, clientSecret: e.L9_OIDC_CLIENT_SECRET }
          : null,
      publicUrl: e.L9_PUBLIC_URL ?? null,
      proxyHeader: e.L9_AUTH_PROXY_HEADER?.toLowerCase() ?? null,
      proxyTrusted: e.L9_AUTH_PROXY_TRUSTED,
      allowAnonymousWrites: e.L9_ALLOW_ANONYMOUS_WRITES,
      requireSignIn: e.L9_REQUIRE_SIGN_IN,
      editors: e.L9_EDITORS.map((x) => x.toLowerCase()),
      reviewMinSignOffs: e.L9_REVIEW_MIN_SIGN_OFFS,
      /** how long a recorded decision stays pending (may be undone) before it freezes */
      reviewUndoMs: e.L9_REVIEW_UNDO_SECONDS * 1000,
      sessionSecret: e.L9_SESSION_SECRET ?? null,
    },
    ackMaxDays: e.L9_ACK_MAX_DAYS,
    role: e.L9_ROLE as Role,
    agent: {
      serverUrl: e.L9_SERVER_URL?.replace(/\/$/, "") ?? null,
      token: e.L9_AGENT_TOKEN ?? null,
      hostName:
        e.L9_HOST_NAME ??
        (os
          .hostname()
          .replace(/[^A-Za-z0-9_.-]/g, "-")
          .slice(0, 64) ||
          "host"),
      bufferMax: e.L9_AGENT_BUFFER_MAX,
      /** issue 26: deliver at most this often (polls wait on disk and go together); 0: each poll */
      deliverEveryMs: e.L9_AGENT_DELIVER_EVERY_MS,
    },
    server: {
      agentTokens: e.L9_AGENT_TOKENS,
      /** a host whose agent has sent nothing for this long is stale, its projects unknown */
      hostStaleMs: e.L9_HOST_STALE_MS ?? Math.max(3 * e.L9_POLL_INTERVAL_MS, 30_000),
    },
    notify: {
      webhooks: e.L9_WEBHOOKS,
      afterOverride: e.L9_NOTIFY_AFTER ?? null,
      ratePerMin: e.L9_NOTIFY_RATE_PER_MIN,
      allowedHosts: e.L9_WEBHOOK_ALLOWED_HOSTS,
    },
  }));

/** The validated configuration: its type is the schema's output, declared once. */
export type Env = z.output<typeof schema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses an environment (process.env by default). Throws ConfigError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings mean "unset".
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(variables.shape)) {
    const v = source[key];
    if (v !== undefined && v !== "") cleaned[key] = v;
  }
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

let cached: Env | undefined;

/** The process's configuration, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
