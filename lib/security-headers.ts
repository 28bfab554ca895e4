// Sent on every response (next.config.ts for all paths; proxy.ts's own answers too): no page
// on another origin may frame the app (clickjacking), and no response is sniffed into a type.
export const SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
];
