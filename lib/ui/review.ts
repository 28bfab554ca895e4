// A review's form text to its body's fields. Pure.

/** "owner: what to do (due 2026-12-04)", one per line, into action items. */
export function parseActions(text: string) {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^([^:]+):\s*(.+?)(?:\s*\(due (\d{4}-\d{2}-\d{2})\))?$/.exec(l);
      return m
        ? { owner: m[1]!.trim(), text: m[2]!.trim(), due: m[3] ? `${m[3]}T00:00:00Z` : null }
        : { owner: "unassigned", text: l, due: null };
    });
}

/** Action items back to the form's text, one per line. */
export const actionsText = (items: { owner: string; text: string; due: string | null }[]) =>
  items.map((a) => `${a.owner}: ${a.text}${a.due ? ` (due ${a.due.slice(0, 10)})` : ""}`).join("\n");

/** "a, b" -> ["a", "b"] */
export const commaList = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
