/** A TCP port from a number or a decimal string; null for anything else. */
export function parsePort(value: unknown): number | null {
  if (typeof value === "number")
    return Number.isInteger(value) && value >= 1 && value <= 65535 ? value : null;
  if (typeof value === "string" && /^\s*\d{1,5}\s*$/.test(value)) return parsePort(Number(value.trim()));
  return null;
}
