/**
 * Flags for Debian's Chromium wherever we start it (the PDF export, the end-to-end tests,
 * bench:ui): headless as root in a container, no GPU, and no traffic of its own (updates,
 * sync, QUIC), since this workplace allows loopback only.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
