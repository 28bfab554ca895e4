// Issue 26: the notifier's alert episodes, kept in the database. The process that sends
// notifications stores each change of its episodes (a new one, a firing, an end) before it hands
// the messages to the deliverer; a process taking over (or restarting) loads them, so it neither
// sends an episode's firing again nor forgets to send its "resolved".
import { z } from "zod";
import type { Db } from "../db";
import { DEFAULT_AFTER_MS, type AlertEpisode, type AlertRule } from "../core/alerts";
import { log } from "../log";

/** Every rule (DEFAULT_AFTER_MS names each one: the record is exhaustive). */
const RULES = Object.keys(DEFAULT_AFTER_MS) as [AlertRule, ...AlertRule[]];

const conditionSchema = z.object({
  key: z.string(),
  rule: z.enum(RULES),
  severity: z.enum(["info", "warning", "critical"]),
  subject: z.string(),
  message: z.string(),
  gate: z.string().nullable(),
  path: z.string(),
});

/** The stored episodes by key. A row that does not parse is dropped (and said), never thrown. */
export async function loadAlertEpisodes(db: Db): Promise<Map<string, AlertEpisode>> {
  const rows = await db.alertEpisode.findMany({ orderBy: { key: "asc" } });
  const out = new Map<string, AlertEpisode>();
  for (const r of rows) {
    let condition: unknown = null;
    try {
      condition = JSON.parse(r.condition);
    } catch {
      // counted as unparsable below
    }
    const parsed = conditionSchema.safeParse(condition);
    if (!parsed.success || parsed.data.key !== r.key) {
      log("notify", "warn", "a stored alert episode does not parse: dropped", { key: r.key });
      continue;
    }
    out.set(r.key, { condition: parsed.data, since: r.since.toISOString(), fired: r.fired });
  }
  return out;
}

/**
 * Stores the difference between two sets of episodes in one transaction: episodes that began or
 * fired are written, those that ended are deleted. A condition's words changing alone is not a
 * write (its "resolved" reads the words stored at its start or firing).
 */
export async function saveAlertEpisodes(
  db: Db,
  before: ReadonlyMap<string, AlertEpisode>,
  after: ReadonlyMap<string, AlertEpisode>,
  now: Date,
): Promise<number> {
  const gone = [...before.keys()].filter((k) => !after.has(k));
  const changed = [...after.values()].filter((e) => {
    const b = before.get(e.condition.key);
    return !b || b.fired !== e.fired || b.since !== e.since;
  });
  if (gone.length === 0 && changed.length === 0) return 0;
  await db.$transaction(async (tx) => {
    if (gone.length) await tx.alertEpisode.deleteMany({ where: { key: { in: gone } } });
    for (const e of changed) {
      const data = {
        since: new Date(e.since),
        fired: e.fired,
        condition: JSON.stringify(e.condition),
        updatedAt: now,
      };
      await tx.alertEpisode.upsert({
        where: { key: e.condition.key },
        create: { key: e.condition.key, ...data },
        update: data,
      });
    }
  });
  return gone.length + changed.length;
}
