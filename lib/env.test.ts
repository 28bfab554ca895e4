import { describe, expect, test } from "vitest";
import os from "node:os";
import path from "node:path";
import { ConfigError, parseEnv } from "./env";

describe("parseEnv", () => {
  test("defaults follow CONTRACT.md section 4", () => {
    const e = parseEnv({});
    expect(e.dockerHost).toBe("unix:///var/run/docker.sock");
    expect(e.labelSelector).toEqual([{ key: "com.l9.managed", value: "true" }]);
    expect(e.registryPath).toBe(path.join(os.homedir(), ".claude", "project_registry.json"));
    expect(e.orchestratorUrls).toEqual([]);
    expect(e.ingestTokens).toEqual([]);
    expect(e.pollIntervalMs).toBe(5000);
    expect(e.instanceStaleMs).toBe(30000);
    expect(e.databaseUrl).toBe("file:./data/l9-state.db");
    expect(e.port).toBe(3000);
    expect(e.hostname).toBe("127.0.0.1");
  });

  test.each([
    [{ L9_POLL_INTERVAL_MS: "20000" }, 60000],
    [{ L9_POLL_INTERVAL_MS: "1000" }, 30000],
    [{ L9_POLL_INTERVAL_MS: "1000", L9_INSTANCE_STALE_MS: "4000" }, 4000],
  ])("stale threshold for %o is %d", (vars, expected) => {
    expect(parseEnv(vars).instanceStaleMs).toBe(expected);
  });

  test("label selector is a comma-separated key=value list", () => {
    expect(parseEnv({ L9_LABEL_SELECTOR: "com.l9.managed=true, com.l9.sim=run-1" }).labelSelector).toEqual([
      { key: "com.l9.managed", value: "true" },
      { key: "com.l9.sim", value: "run-1" },
    ]);
  });

  test("orchestrator URLs are split and kept in order", () => {
    expect(
      parseEnv({ L9_ORCHESTRATOR_URLS: "http://127.0.0.1:9001/state,http://127.0.0.1:9002/state" })
        .orchestratorUrls,
    ).toEqual(["http://127.0.0.1:9001/state", "http://127.0.0.1:9002/state"]);
  });

  test.each([
    ["L9_POLL_INTERVAL_MS", "fast"],
    ["L9_POLL_INTERVAL_MS", "-5"],
    ["PORT", "70000"],
    ["DOCKER_HOST", "ssh://somewhere"],
    ["L9_LABEL_SELECTOR", "com.l9.managed"],
    ["L9_ORCHESTRATOR_URLS", "not a url"],
    ["DATABASE_URL", "mysql://x/db"],
    ["DATABASE_URL", "./data/l9.db"],
    ["L9_ROLE", "leader"],
    ["L9_AGENT_TOKENS", "ana:short"],
    ["L9_AGENT_TOKENS", "ana:0123456789abcdef,ana:fedcba9876543210"],
    ["L9_HOST_NAME", "ana's laptop"],
  ])("a bad %s (%s) is refused, naming the variable", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => parseEnv({ [name]: value })).toThrow(name);
  });

  test("PostgreSQL is accepted for DATABASE_URL", () => {
    expect(parseEnv({ DATABASE_URL: "postgresql://l9@127.0.0.1:5432/l9" }).databaseUrl).toBe(
      "postgresql://l9@127.0.0.1:5432/l9",
    );
  });
});

describe("roles (issue 14)", () => {
  test("standalone by default", () => expect(parseEnv({}).role).toBe("standalone"));
  test("an agent needs its server and token", () => {
    expect(() => parseEnv({ L9_ROLE: "agent" })).toThrow(/L9_SERVER_URL[\s\S]*L9_AGENT_TOKEN/);
    const e = parseEnv({
      L9_ROLE: "agent",
      L9_SERVER_URL: "http://127.0.0.1:4000/",
      L9_AGENT_TOKEN: "0123456789abcdef",
      L9_HOST_NAME: "ana",
    });
    expect(e.agent).toMatchObject({ serverUrl: "http://127.0.0.1:4000", hostName: "ana" });
  });
  test("a server needs one token per host", () => {
    expect(() => parseEnv({ L9_ROLE: "server" })).toThrow("L9_AGENT_TOKENS");
    const e = parseEnv({ L9_ROLE: "server", L9_AGENT_TOKENS: "ana:0123456789abcdef, bo:fedcba9876543210" });
    expect(e.server.agentTokens.map((t) => t.host)).toEqual(["ana", "bo"]);
  });
});

describe("who may write (CONTRACT 6g)", () => {
  test.each([
    [{}, "local"],
    [{ L9_OIDC_ISSUER: "http://127.0.0.1:9000", L9_OIDC_CLIENT_ID: "a", L9_OIDC_CLIENT_SECRET: "b" }, "oidc"],
    [{ L9_AUTH_PROXY_HEADER: "X-Forwarded-Email", L9_AUTH_PROXY_TRUSTED: "10.0.0.5" }, "proxy"],
  ])("mode from %j is %s", (vars, mode) => {
    expect(parseEnv(vars).auth.mode).toBe(mode);
  });

  test.each([
    [{ HOSTNAME: "0.0.0.0" }, /HOSTNAME: bound to 0\.0\.0\.0, not loopback, with no sign-in/],
    [{ L9_OIDC_ISSUER: "http://127.0.0.1:9000" }, /L9_OIDC_ISSUER: OpenID Connect needs/],
    [{ L9_AUTH_PROXY_HEADER: "X-Forwarded-Email" }, /L9_AUTH_PROXY_TRUSTED: name the proxy's addresses/],
    [
      {
        L9_AUTH_PROXY_HEADER: "X-Email",
        L9_AUTH_PROXY_TRUSTED: "10.0.0.5",
        L9_OIDC_ISSUER: "http://127.0.0.1:9000",
        L9_OIDC_CLIENT_ID: "a",
        L9_OIDC_CLIENT_SECRET: "b",
      },
      /choose one sign-in mode/,
    ],
    [{ L9_INGEST_TOKEN: "a:one,a:two" }, /the name "a" is used twice/],
  ])("refused: %j", (vars, message) => {
    expect(() => parseEnv(vars)).toThrow(ConfigError);
    expect(() => parseEnv(vars)).toThrow(message);
  });

  test("a non-loopback bind starts with sign-in or an explicit opt-in to anonymous writes", () => {
    expect(parseEnv({ HOSTNAME: "0.0.0.0", L9_ALLOW_ANONYMOUS_WRITES: "1" }).auth.allowAnonymousWrites).toBe(
      true,
    );
    expect(
      parseEnv({ HOSTNAME: "0.0.0.0", L9_AUTH_PROXY_HEADER: "X-Email", L9_AUTH_PROXY_TRUSTED: "10.0.0.5" })
        .auth.mode,
    ).toBe("proxy");
  });

  test.each([
    [{ L9_EDITORS: "ana" }, /L9_EDITORS: editors are people: local mode has one identity/],
    [{ L9_REVIEW_MIN_SIGN_OFFS: "2" }, /L9_REVIEW_MIN_SIGN_OFFS: 2 distinct sign-offs need as many people/],
    [
      { HOSTNAME: "0.0.0.0", L9_ALLOW_ANONYMOUS_WRITES: "1", L9_EDITORS: "ana" },
      /needs OpenID Connect \(L9_OIDC_\*\) or a trusted proxy header/,
    ],
  ])("local mode, one identity: %j is refused at start-up", (vars, message) => {
    expect(() => parseEnv(vars)).toThrow(message);
  });

  test("editors and several sign-offs start with OpenID Connect or a proxy; one sign-off in local mode", () => {
    const oidc = {
      L9_OIDC_ISSUER: "http://127.0.0.1:9000",
      L9_OIDC_CLIENT_ID: "a",
      L9_OIDC_CLIENT_SECRET: "b",
    };
    const proxy = { L9_AUTH_PROXY_HEADER: "X-Email", L9_AUTH_PROXY_TRUSTED: "127.0.0.1" };
    for (const mode of [oidc, proxy]) {
      const e = parseEnv({ ...mode, L9_EDITORS: "Ana", L9_REVIEW_MIN_SIGN_OFFS: "2" });
      expect(e.auth).toMatchObject({ editors: ["ana"], reviewMinSignOffs: 2 });
    }
    expect(parseEnv({ L9_REVIEW_MIN_SIGN_OFFS: "1" }).auth).toMatchObject({ mode: "local", editors: [] });
  });

  test("ingest tokens: one plain token is named default; name:token pairs keep their names", () => {
    expect(parseEnv({ L9_INGEST_TOKEN: "s3cret" }).ingestTokens).toEqual([
      { name: "default", token: "s3cret" },
    ]);
    expect(parseEnv({ L9_INGEST_TOKEN: "ci:t1, laptop:t:2" }).ingestTokens).toEqual([
      { name: "ci", token: "t1" },
      { name: "laptop", token: "t:2" },
    ]);
  });
});
