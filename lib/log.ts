// One-line logs with a component tag; transitions, not every poll.
type Level = "info" | "warn" | "error";

export function log(
  component: string,
  level: Level,
  message: string,
  fields: Record<string, unknown> = {},
): void {
  const extra = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === "string" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
  const line = `${new Date().toISOString()} ${level.toUpperCase()} [${component}] ${message}${extra ? ` ${extra}` : ""}`;
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
