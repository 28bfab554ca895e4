// Local mode's one identity per installation (CONTRACT 6g): the first name given is kept.
import type { Db } from "../db";

export type LocalIdentity = { identity: string; name: string };

/** The kept local identity, or null while nobody has signed in yet. */
export async function getLocalIdentity(db: Db): Promise<LocalIdentity | null> {
  const row = await db.localUser.findUnique({ where: { id: 1 } });
  return row ? { identity: row.identity, name: row.name } : null;
}

/**
 * Keeps `name` as the local identity if none is kept yet, and returns the kept one (which may
 * be another's). Two first sign-ins at once: the primary key lets one win, the other reads it.
 */
export async function claimLocalIdentity(db: Db, name: string, at: Date): Promise<LocalIdentity> {
  const kept = await getLocalIdentity(db);
  if (kept) return kept;
  try {
    await db.localUser.create({ data: { id: 1, identity: name.toLowerCase(), name, createdAt: at } });
  } catch (err) {
    if ((err as { code?: unknown }).code !== "P2002") throw err;
  }
  const now = await getLocalIdentity(db);
  if (!now) throw new Error("the local identity was neither kept nor readable");
  return now;
}
