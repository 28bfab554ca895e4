// Rows that do not move under the pointer (issue 27): while a person points at the matrix, the
// order they see is held; rows that appear meanwhile go at the end. Pure.

/** `rows` in the order of `held` (keys), rows not in it after them in their own order. */
export function holdOrder<T extends { key: string }>(rows: T[], held: readonly string[] | null): T[] {
  if (!held) return rows;
  const at = new Map(held.map((k, i) => [k, i]));
  const known = rows.filter((r) => at.has(r.key)).sort((a, b) => at.get(a.key)! - at.get(b.key)!);
  return [...known, ...rows.filter((r) => !at.has(r.key))];
}

/** How many rows sit elsewhere than the live sort would put them (0: nothing waits to move). */
export function rowsToMove(shown: readonly { key: string }[], live: readonly { key: string }[]): number {
  return shown.reduce((n, r, i) => n + (live[i]?.key === r.key ? 0 : 1), 0);
}
