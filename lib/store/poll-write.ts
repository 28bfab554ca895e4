// One poll record's rows, for any host, inside a transaction: the summary row, containers,
// episodes, check runs, read events and restarts. This machine's rows (host "") are named by
// their ids; an agent's by the refs it sent, each stored once however often it is resent.
import type { Tx } from "../db";
import { insertPollRow } from "./dialect";
import { episodeKey, runKey } from "../core/history";
import type { PollRecord, PollToRecord } from "../contracts/agent";

/** Whether a poll changes nothing but its summary row (the steady state). */
export const summaryOnly = (p: PollToRecord) =>
  !p.new_containers.length &&
  !p.containers_changed.length &&
  !p.containers_removed.length &&
  !p.episodes_opened.length &&
  !p.episodes_closed.length &&
  !p.runs_opened.length &&
  !p.runs_closed.length &&
  !p.read_events.length &&
  !p.restarts.length &&
  !p.restarts_recovered.length;

/** A poll without opened rows has nothing to number. */
export const withRefs = (p: PollToRecord): PollRecord => ({ ...p, episodes_opened: [], runs_opened: [] });

/**
 * Rows not stored yet, created in one statement: an agent's resend, or a row another
 * delivery already brought, is stored once (by its key: a ref, or a container's id).
 */
async function createFresh<T, K>(
  items: readonly T[],
  keyOf: (item: T) => K,
  stored: (keys: K[]) => Promise<K[]>,
  create: (fresh: T[]) => Promise<unknown>,
): Promise<void> {
  if (!items.length) return;
  const known = new Set(await stored(items.map(keyOf)));
  const fresh = items.filter((i) => !known.has(keyOf(i)));
  if (fresh.length) await create(fresh);
}

const refs = (rows: { ref: number | null }[]) => rows.flatMap((r) => (r.ref === null ? [] : [r.ref]));
const hasRef = <T extends { ref?: number }>(x: T): x is T & { ref: number } => x.ref !== undefined;

/** One poll's rows inside a transaction (recordAgentBatch writes many in one). */
export async function writePoll(tx: Tx, host: string, p: PollToRecord): Promise<PollRecord | null> {
  const local = host === "";
  if ((await insertPollRow(tx, host, p, !local)) === 0) return null;
  const at = p.polled_at;
  const sim = p.simulated;
  await createFresh(
    p.new_containers,
    (c) => c.id,
    async (ids) =>
      (await tx.container.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((c) => c.id),
    (fresh) =>
      tx.container.createMany({
        data: fresh.map((c) => ({
          id: c.id,
          host,
          project: c.project,
          name: c.name,
          firstSeenAt: at,
          createdAt: c.created,
          labels: JSON.stringify(c.labels),
          labelIssues: JSON.stringify(c.label_issues),
          state: c.state,
          port: c.port,
          lastSeenAt: at,
          stoppedAt: c.state === "running" ? null : at,
          simulated: sim,
        })),
      }),
  );
  for (const c of p.containers_changed)
    await tx.container.updateMany({
      where: { id: c.id, host },
      data: {
        state: c.state,
        port: c.port,
        lastSeenAt: at,
        // A container first seen created (or stopped) that runs now was not stopped.
        ...(c.stopped ? { stoppedAt: at } : c.state === "running" ? { stoppedAt: null } : {}),
      },
    });
  if (p.containers_removed.length)
    await tx.container.updateMany({
      where: { host, id: { in: p.containers_removed } },
      data: { removedAt: at },
    });
  // This machine's rows are named by id, an agent's by the ref (its own id) it sent.
  const named = (ids: number[]) => (local ? { id: { in: ids } } : { ref: { in: ids } });
  if (p.episodes_closed.length)
    await tx.findingEpisode.updateMany({
      where: { host, ...named(p.episodes_closed), closedAt: null },
      data: { closedAt: at, lastSeenAt: at },
    });
  for (const r of p.runs_closed)
    await tx.checkRun.updateMany({ where: { host, ...named([r.ref]) }, data: { endSeq: r.end_seq } });
  const runRow = (r: PollToRecord["runs_opened"][number]) => ({
    host,
    ref: local ? null : (r.ref ?? null),
    project: r.project,
    source: r.source,
    diverged: r.diverged,
    startSeq: r.start_seq,
  });
  const episodeRow = (e: PollToRecord["episodes_opened"][number]) => ({
    host,
    ref: local ? null : (e.ref ?? null),
    project: e.project,
    source: e.source,
    kind: e.kind,
    subject: e.subject,
    openedAt: e.opened_at,
    lastSeenAt: e.opened_at,
    detail: JSON.stringify(e.detail),
    simulated: sim,
  });
  let runsOpened: PollRecord["runs_opened"];
  let episodesOpened: PollRecord["episodes_opened"];
  if (local) {
    // Numbered by the database: the ids are the refs an agent sends its server.
    const runIds = new Map(
      (p.runs_opened.length
        ? await tx.checkRun.createManyAndReturn({
            data: p.runs_opened.map(runRow),
            select: { id: true, project: true, source: true },
          })
        : []
      ).map((c) => [runKey(c.project, c.source), c.id]),
    );
    runsOpened = p.runs_opened.flatMap((r) => {
      const ref = runIds.get(runKey(r.project, r.source));
      return ref === undefined ? [] : [{ ...r, ref }];
    });
    const episodeIds = new Map(
      (p.episodes_opened.length
        ? await tx.findingEpisode.createManyAndReturn({
            data: p.episodes_opened.map(episodeRow),
            select: { id: true, project: true, source: true, kind: true, subject: true },
          })
        : []
      ).map((c) => [episodeKey(c), c.id]),
    );
    episodesOpened = p.episodes_opened.flatMap((e) => {
      const ref = episodeIds.get(episodeKey(e));
      return ref === undefined ? [] : [{ ...e, ref }];
    });
  } else {
    runsOpened = p.runs_opened.filter(hasRef);
    episodesOpened = p.episodes_opened.filter(hasRef);
    await createFresh(
      runsOpened,
      (r) => r.ref,
      async (ids) =>
        refs(await tx.checkRun.findMany({ where: { host, ref: { in: ids } }, select: { ref: true } })),
      (fresh) => tx.checkRun.createMany({ data: fresh.map(runRow) }),
    );
  }
  await createFresh(
    p.read_events,
    (e) => e.ref,
    async (ids) =>
      refs(await tx.readEvent.findMany({ where: { host, ref: { in: ids } }, select: { ref: true } })),
    (fresh) =>
      tx.readEvent.createMany({
        data: fresh.map((e) => ({
          host,
          ref: e.ref,
          instanceId: e.instance_id,
          at: e.at,
          project: e.project,
          servedBy: e.served_by,
          dockerOk: e.docker_ok,
          latencyMs: e.latency_ms,
          cacheAgeMs: e.cache_age_ms,
          fallbackVia: e.fallback_via,
          simulated: sim,
        })),
      }),
  );
  for (const r of p.restarts) {
    const data = {
      instanceId: r.instance_id,
      previousInstanceId: r.previous_instance_id,
      previousStartedAt: r.previous_started_at,
      startedAt: r.started_at,
      detectedAt: r.detected_at,
      reason: r.reason,
      recoveredAt: r.recovered_at,
      simulated: sim,
    };
    await tx.restart.upsert({
      where: { host_ref: { host, ref: r.ref } },
      create: { host, ref: r.ref, ...data },
      update: data,
    });
  }
  if (p.restarts_recovered.length)
    await tx.restart.updateMany({
      where: { host, ...named(p.restarts_recovered) },
      data: { recoveredAt: at },
    });
  if (!local)
    await createFresh(
      episodesOpened,
      (e) => e.ref,
      async (ids) =>
        refs(await tx.findingEpisode.findMany({ where: { host, ref: { in: ids } }, select: { ref: true } })),
      (fresh) => tx.findingEpisode.createMany({ data: fresh.map(episodeRow) }),
    );
  return { ...p, runs_opened: runsOpened, episodes_opened: episodesOpened };
}
