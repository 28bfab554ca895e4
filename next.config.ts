import type { NextConfig } from "next";
import { SECURITY_HEADERS } from "./lib/security-headers";

const nextConfig: NextConfig = {
  // dockerode pulls in ssh2's native crypto, which Turbopack cannot bundle.
  serverExternalPackages: ["dockerode", "ssh2", "better-sqlite3", "playwright-core"],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [{ source: "/:path*", headers: [...SECURITY_HEADERS] }];
  },
};

export default nextConfig;
