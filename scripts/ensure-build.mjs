// The production build and its stamp. `npm run build` builds and stamps; `ensureBuild` (npm
// start, the test command, the demo, benchmarks) builds only when the sources changed since
// the stamped build. A build never starts under a server that is serving the current one:
// see scripts/start.ts.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const stampFile = path.join(root, ".next", "l9-build-stamp");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

export function buildFingerprint() {
  const hash = crypto.createHash("sha256");
  const roots = [
    "app",
    "components",
    "lib",
    "prisma/schema.prisma",
    "public",
    "package-lock.json",
    "next.config.ts",
    "tsconfig.json",
    "instrumentation.ts",
    "proxy.ts",
  ];
  const files = [];
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      if (p.endsWith(path.join("lib", "generated"))) return;
      for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    } else if (!/\.test\.tsx?$/.test(p)) files.push(p);
  };
  for (const r of roots) walk(path.join(root, r));
  for (const f of files) {
    hash.update(path.relative(root, f)).update("\0").update(fs.readFileSync(f)).update("\0");
  }
  return hash.digest("hex");
}

/** True when .next holds a finished build of the current sources. */
export function buildIsCurrent() {
  return (
    fs.existsSync(stampFile) &&
    fs.existsSync(path.join(root, ".next", "BUILD_ID")) &&
    fs.readFileSync(stampFile, "utf8") === buildFingerprint()
  );
}

/** Generates the Prisma client, runs `next build`, and stamps the build with its sources. */
export function build() {
  const fingerprint = buildFingerprint();
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  for (const [cmd, args] of [
    [process.execPath, [path.join(root, "scripts", "prisma-generate.mjs")]],
    [bin("next"), ["build"]],
  ]) {
    const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  fs.writeFileSync(stampFile, fingerprint);
}

export function ensureBuild({ force = false } = {}) {
  if (buildIsCurrent() && !force) return false;
  console.log("[build] building the production bundle…");
  build();
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--always")) build();
  else ensureBuild({ force: process.argv.includes("--force") });
}
