import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // dockerode pulls in ssh2's native crypto, which Turbopack cannot bundle.
  serverExternalPackages: ["dockerode", "ssh2", "better-sqlite3", "playwright-core"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
