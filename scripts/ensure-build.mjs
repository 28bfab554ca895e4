// Builds the production bundle when the sources changed since the last build (or there is
// none). Used by npm start and by the test command before the end-to-end tests.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function buildFingerprint() {
  const hash = crypto.createHash("sha256");
  const roots = ["app", "components", "lib", "prisma/schema.prisma", "public", "package-lock.json", "next.config.ts", "tsconfig.json", "instrumentation.ts"];
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
  for (const f of files) hash.update(path.relative(root, f)).update("\0").update(fs.readFileSync(f)).update("\0");
  return hash.digest("hex");
}

export function ensureBuild({ force = false } = {}) {
  const stampFile = path.join(root, ".next", "l9-build-stamp");
  const fingerprint = buildFingerprint();
  const current = fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === fingerprint && fs.existsSync(path.join(root, ".next", "BUILD_ID"));
  if (current && !force) return false;
  console.log("[build] building the production bundle…");
  const r = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(stampFile, fingerprint);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureBuild({ force: process.argv.includes("--force") });
}
