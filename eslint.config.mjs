import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Layers (docs/modules.md): which folder may import which. Checked by `npm run lint`, which
// `npm test` runs. import/no-restricted-paths resolves each import (relative or "@/") to its
// file, so a layer cannot be reached around by spelling the path differently.
const SERVER_ONLY = [
  "./lib/db.ts",
  "./lib/env.ts",
  "./lib/env-fields.ts",
  "./lib/env-derived.ts",
  "./lib/access.ts",
  "./lib/auth",
  "./lib/http.ts",
  "./lib/review-pdf.ts",
  "./lib/store",
  "./lib/services",
  "./lib/collector",
  "./lib/agent",
  "./lib/docker",
  "./lib/sources",
  "./lib/sim",
  "./lib/dev",
  "./lib/generated",
];
const layer = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });
const ZONES = [
  // The pure core imports only the core.
  ...["./lib", "./app", "./components", "./scripts"].map((from) =>
    layer(
      "./lib/core",
      from,
      "lib/core is pure: it imports only lib/core.",
      from === "./lib" ? ["./core"] : undefined,
    ),
  ),
  // Contracts: zod and the core's types only.
  ...[...SERVER_ONLY, "./lib/present", "./lib/ui", "./lib/hooks", "./app", "./components"].map((from) =>
    layer("./lib/contracts", from, "lib/contracts imports only zod, lib/core and other contracts."),
  ),
  // Presenters are pure mappings from core results to contract shapes.
  ...[...SERVER_ONLY, "./lib/ui", "./lib/hooks", "./app", "./components"].map((from) =>
    layer("./lib/present", from, "lib/present imports only lib/core and lib/contracts (no I/O)."),
  ),
  // The browser's side imports no server module.
  ...["./components", "./lib/hooks", "./lib/ui", "./lib/query.ts"].flatMap((target) =>
    [...SERVER_ONLY, "./lib/present"].map((from) =>
      layer(target, from, "Browser code imports no server module (db, store, services, collector, docker…)."),
    ),
  ),
  // Routes and pages go through services (and lib/http for the envelope).
  ...[
    "./lib/store",
    "./lib/collector",
    "./lib/docker",
    "./lib/sources",
    "./lib/db.ts",
    "./lib/present",
    "./lib/sim",
    "./lib/dev",
    "./lib/auth",
    "./lib/access.ts",
  ].map((from) => layer("./app", from, "Routes and pages call lib/services only.")),
  // Services share plumbing through lib/http.ts and lib/access.ts, not through each other;
  // services/evaluate.ts (the phase evaluation) is the one shared service.
  layer(
    "./lib/services",
    "./lib/services",
    "Services do not import each other: share through lib/http.ts or lib/access.ts.",
    ["./evaluate.ts"],
  ),
  // The agent's sender: its buffer (store), the message (present), nothing of HTTP routes,
  // services or the collector that feeds it.
  ...["./lib/services", "./lib/collector", "./lib/access.ts", "./lib/sources", "./app", "./components"].map(
    (from) => layer("./lib/agent", from, "lib/agent buffers and sends: store, present, contracts only."),
  ),
  // The collector runs polls and holds the live view; what a route does is not its business.
  layer(
    "./lib/collector",
    "./lib/services",
    "lib/collector does not import lib/services (services call it).",
  ),
  // Prisma (the generated client and its adapters) only in lib/store and lib/db.ts.
  ...[
    ...["core", "contracts", "present", "sources", "docker", "agent", "collector", "notify", "auth"],
    ...["services", "ui", "hooks", "sim", "dev", "http.ts", "access.ts", "env.ts", "query.ts", "log.ts"],
  ].flatMap((dir) =>
    ["./lib/generated", "./node_modules/@prisma"].map((from) =>
      layer(`./lib/${dir}`, from, "Prisma lives in lib/store (data access) and lib/db.ts (the client) only."),
    ),
  ),
  ...["./app", "./components", "./proxy.ts"].flatMap((target) =>
    ["./lib/generated", "./node_modules/@prisma"].map((from) =>
      layer(target, from, "Prisma lives in lib/store (data access) and lib/db.ts (the client) only."),
    ),
  ),
  // Storage knows nothing of HTTP, services or the collector.
  ...[
    "./lib/services",
    "./lib/collector",
    "./lib/agent",
    "./lib/http.ts",
    "./lib/access.ts",
    "./app",
    "./components",
  ].map((from) => layer("./lib/store", from, "lib/store is data access only.")),
];

const RAW_SQL = {
  selector: "MemberExpression[property.name=/^\\$(queryRaw|executeRaw)/]",
  message:
    "Raw SQL lives in lib/store/dialect.ts and dialect-pg.ts only (the one module that knows the database).",
};
// A client is named db or tx (or is getDb()): `db.poll.findMany(...)`, `tx.host.update(...)`.
const PRISMA_METHODS =
  "/^(findMany|findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow|create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany|count|groupBy|aggregate)$/";
const PRISMA_CALLS = [
  {
    selector: `CallExpression[callee.property.name=${PRISMA_METHODS}][callee.object.object.name=/^(db|tx|prisma)$/]`,
    message: "Prisma queries live in lib/store: call a verb-named store function.",
  },
  {
    selector: `CallExpression[callee.property.name=${PRISMA_METHODS}][callee.object.object.callee.name="getDb"]`,
    message: "Prisma queries live in lib/store: call a verb-named store function.",
  },
  {
    selector: "MemberExpression[property.name=/^\\$transaction$/]",
    message: "Transactions live in lib/store (and lib/db.ts).",
  },
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".tmp/**",
      "bench/out/**",
      ".next/**",
      "node_modules/**",
      "lib/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "e2e/artifacts/**",
      "examples/**",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-restricted-paths": ["error", { zones: ZONES }],
    },
  },
  {
    // Writable dockerode only where writes are allowed: the simulator, dev tooling, scripts,
    // benchmarks and tests. The app reads Docker through lib/docker's read-only client.
    files: ["**/*.ts", "**/*.tsx", "**/*.mjs"],
    ignores: [
      "lib/docker/**",
      "lib/sim/**",
      "lib/dev/**",
      "scripts/**",
      "bench/**",
      "test/**",
      "e2e/**",
      "**/*.test.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "dockerode", message: "dockerode can write: use lib/docker's ReadOnlyDocker." }] },
      ],
    },
  },
  {
    // The core has no I/O: no file system, network, database, Docker, framework or clock module.
    files: ["lib/core/**/*.ts"],
    ignores: ["lib/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex:
                "^(node:)?(fs|fs/promises|net|http|https|child_process|dgram|os)$|^(dockerode|next|react|@prisma/|zod)",
              message:
                "lib/core is pure: no I/O modules, frameworks or schemas (those live in contracts and adapters).",
            },
          ],
        },
      ],
    },
  },
  {
    // Raw SQL only in the dialect module (issue 14: one module per database, nothing else
    // knows which one it talks to). Benchmarks and tests may seed with raw SQL.
    files: ["lib/**/*.ts", "app/**/*.ts", "app/**/*.tsx", "components/**/*.tsx"],
    // lib/db.ts: the SQLite connection's one PRAGMA, set where the connection is made.
    ignores: [
      "lib/store/dialect.ts",
      "lib/store/dialect-pg.ts",
      "lib/db.ts",
      "lib/generated/**",
      "**/*.test.ts",
    ],
    rules: { "no-restricted-syntax": ["error", RAW_SQL] },
  },
  {
    // Prisma only in lib/store (and lib/db.ts, which makes the client): no model query, no
    // transaction and no generated client or adapter anywhere else.
    files: ["lib/**/*.ts", "app/**/*.ts", "app/**/*.tsx", "components/**/*.tsx", "proxy.ts"],
    ignores: ["lib/store/**", "lib/db.ts", "lib/generated/**", "**/*.test.ts"],
    rules: {
      "no-restricted-syntax": ["error", RAW_SQL, ...PRISMA_CALLS],
    },
  },
  {
    // Playwright fixtures call their callback `use`, which is not React's hook.
    files: ["e2e/**/*.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
