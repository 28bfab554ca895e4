// The collector: a short loop over the sources. Each poll reads Docker, the registry file
// and the orchestrator instances (each an adapter owning its own state), computes divergence
// in the pure core, and records the poll whole or not at all. Docker down, slow or refusing
// gives docker_unavailable polls; it reconnects on its own and never stops the app.
import { planIsEmpty } from "../core/history";
import { LiveView } from "./live";
import type { Env } from "../env";
import type { Db } from "../db";
import type { ReadOnlyDocker } from "../docker/client";
import { watchContainerEvents, type EventWatch } from "../docker/events";
import { EventRing } from "./event-ring";
import { DockerSource } from "../sources/docker";
import { RegistrySource } from "../sources/registry";
import { InstanceSource, type IngestResult } from "../sources/instances";
import { TestSplitMemo, withoutTestProjects } from "../core/adr/test-containers";
import { computeDivergence, DivergenceMemo } from "../core/divergence";
import { planHistory } from "../core/history";
import { withOpenedAt } from "../present/state";
import { NO_TOTALS, pollRecord, withTotals } from "../present/poll";
import type { PollRecord } from "../contracts/agent";
import { composePoll } from "./compose";
import type { ApiState } from "../contracts/state";
import type { ActiveIndexersSnapshot } from "../contracts/ingest";
import { applyRecorded, loadCollectorMemory, recordPoll, type CollectorMemory } from "../store/polls";
import { dbErrorText } from "../store/dialect";
import { PollScheduler } from "./scheduler";
import { PollContext } from "./context";
import { countPoll } from "./counters";
import { collectorStatus, noteDbWrite } from "./status";
import { isBusyError } from "../core/db-health";
import { log } from "../log";

/** A poll write that finds the database locked is retried, between ticks, for this long. */
const WRITE_PATIENCE_MS = 8000;
const WRITE_RETRY_PAUSE_MS = 250;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export type CollectorDeps = { cfg: Env; db: Db; docker: ReadOnlyDocker; now?: () => Date };

export class Collector {
  readonly cfg: Env;
  private readonly db: Db;
  private readonly client: ReadOnlyDocker;
  private readonly now: () => Date;
  private readonly docker: DockerSource;
  private readonly registry: RegistrySource;
  private readonly instances: InstanceSource;
  private readonly testSplit = new TestSplitMemo();
  private readonly scheduler: PollScheduler<ApiState>;
  private memory: CollectorMemory | null = null;
  private latest: ApiState | null = null;
  private readyPromise: Promise<void> | null = null;
  private events: EventWatch | null = null;
  /** Issue 25: recent Docker events per project, for the in-flight rule (bounded). */
  private readonly ring = new EventRing();
  /** Each project's last result, reused while its inputs are the same objects. */
  private readonly divergenceMemo = new DivergenceMemo();
  /** This machine as a fleet of one host (""): listeners, the change signature, retention. */
  readonly live: LiveView;
  private readonly recordedListeners: ((poll: PollRecord, state: ApiState) => void)[] = [];
  private readonly context: PollContext;

  constructor(deps: CollectorDeps) {
    this.cfg = deps.cfg;
    this.db = deps.db;
    this.client = deps.docker;
    this.now = deps.now ?? (() => new Date());
    this.docker = new DockerSource(deps.docker, deps.cfg.labelSelector);
    this.registry = new RegistrySource(deps.cfg.registryPath);
    this.instances = new InstanceSource(deps.db, deps.cfg, this.now);
    this.context = new PollContext(deps.db, deps.cfg);
    this.live = new LiveView(deps.db, deps.cfg, this.now);
    this.scheduler = new PollScheduler(
      () => this.doPoll(),
      deps.cfg.pollIntervalMs,
      (err) => log("collector", "error", "poll failed", { error: message(err) }),
    );
  }

  /** Loads what the collector remembers from the database (once). */
  ready(): Promise<void> {
    this.readyPromise ??= (async () => {
      this.memory = await loadCollectorMemory(this.db);
      await this.instances.load();
    })();
    return this.readyPromise;
  }

  /** Re-reads the recorded phase starts (the phases service calls this after a change). */
  refreshPhases(at: Date = this.now()): Promise<void> {
    return this.context.refreshPhases(at);
  }

  /** Re-reads the acknowledgements in force (the acknowledgements service calls this). */
  refreshAcks(at: Date = this.now()): Promise<void> {
    return this.context.refreshAcks(at);
  }

  /** Issue 25: whether Docker's event stream is open (while it is not, nothing is in flight). */
  eventsStreaming(): boolean {
    return this.ring.streaming;
  }

  latestState(): ApiState | null {
    return this.latest;
  }

  /** An orchestrator's snapshot, pushed or pulled; a stored one asks for a poll soon. */
  async ingestSnapshot(snap: ActiveIndexersSnapshot, via: string): Promise<IngestResult> {
    await this.ready();
    const result = await this.instances.ingest(snap, via);
    if (!result.ignored) this.trigger();
    return result;
  }

  /** Projects the live orchestrator instances other than `instanceId` hold (L9_MAX_PROJECTS). */
  async heldProjects(instanceId: string): Promise<number> {
    await this.ready();
    return this.instances.heldProjects(instanceId, this.now());
  }

  /** Runs one poll now, or joins the one in flight. */
  pollOnce(): Promise<ApiState> {
    return this.scheduler.runOnce();
  }

  private async doPoll(): Promise<ApiState> {
    await this.ready();
    const memory = this.memory!;
    const started = performance.now();
    const polledAt = this.now();
    const [docker] = await Promise.all([
      this.docker.poll(polledAt),
      this.registry.read(polledAt),
      this.instances.pull(),
    ]);
    await this.instances.detectReplacements(polledAt);
    await this.context.fresh(polledAt);

    // CONTRACT 7e: test containers and `key!=value` exclusions leave the core's input.
    const split = this.testSplit.split(
      docker.reachable ? docker.containers : (this.docker.lastKnown ?? []),
      this.cfg.labelExclude,
    );
    const registry = this.registry.source();
    const fromInstances = this.instances.sources(polledAt);
    // A test-only project leaves the dicts' side of the core's input too (7e).
    const sources = withoutTestProjects(
      registry ? [registry, ...fromInstances.sources] : fromInstances.sources,
      split.tests,
    );
    const apiRegistry = this.registry.apiSource();
    const apiSources = apiRegistry ? [apiRegistry, ...fromInstances.apiSources] : fromInstances.apiSources;
    const result = computeDivergence(
      {
        docker: docker.reachable
          ? { reachable: true, containers: split.managed }
          : { reachable: false, lastKnown: split.managed },
        sources,
        labelsRequiredSinceMs: this.context.phase1StartMs,
        nowMs: polledAt.getTime(),
        // Issue 25: undefined while the event stream is down: then nothing is in flight.
        events: this.ring.view(polledAt.getTime()),
      },
      this.divergenceMemo,
    );
    const plan = planHistory(memory, result, sources, {
      polledAt,
      seq: (memory.last?.seq ?? 0) + (docker.reachable ? 1 : 0),
      reachable: docker.reachable,
      containers: docker.reachable ? split.managed : [],
    });
    const recovered = docker.reachable ? this.instances.recovered(sources, result.projects) : [];
    const recoveredIds = recovered.map((r) => r.id);
    if (docker.reachable) this.instances.noteConsistent(sources, result.projects, polledAt);

    const composed = composePoll({
      cfg: this.cfg,
      polledAt,
      durationMs: performance.now() - started,
      docker,
      endpoint: this.docker.endpoint,
      lastOkAt: this.docker.lastOkAt,
      sources,
      apiSources,
      result,
      acks: this.context.acks,
    });
    let state: ApiState = { ...composed.state, test_containers: split.tests };
    const poll = pollRecord(withTotals(memory.last ?? NO_TOTALS, composed.figures), plan, recoveredIds);
    let stored: PollRecord | null = null;

    try {
      stored = await this.patiently(() => recordPoll(this.db, "", poll));
      if (!stored) throw new Error(`poll ${poll.id} is stored already`);
      noteDbWrite(this.now(), null);
      // Committed: now the in-memory history may follow.
      applyRecorded(memory, plan, stored);
      countPoll(docker.reachable, result.projects, sources);
      this.instances.markRecovered(recoveredIds);
      state = { ...withOpenedAt(state, memory.episodes), poll_id: stored.id };
    } catch (err) {
      stored = null;
      noteDbWrite(this.now(), dbErrorText(err));
      log("collector", "error", "could not record the poll; history unchanged", { error: dbErrorText(err) });
      // Re-read what is stored (another writer, or a partial failure): the next poll plans from it.
      this.memory = await loadCollectorMemory(this.db).catch(() => memory);
    }
    this.latest = state;
    collectorStatus().lastPollAt = polledAt;
    this.live.set("", state, null, !planIsEmpty(plan));
    if (stored) for (const l of this.recordedListeners) l(stored, state);
    await this.live.maybePrune(polledAt);
    return state;
  }

  /**
   * Runs a write (a whole transaction, so a retry cannot double it), retrying while another
   * connection holds the lock. Waiting here, not in SQLite's busy handler, keeps the event
   * loop free: health and pages answer meanwhile.
   */
  private async patiently<T>(write: () => Promise<T>): Promise<T> {
    const started = performance.now();
    for (;;) {
      try {
        return await write();
      } catch (err) {
        if (!isBusyError(dbErrorText(err)) || performance.now() - started > WRITE_PATIENCE_MS) throw err;
        await new Promise((r) => setTimeout(r, WRITE_RETRY_PAUSE_MS));
      }
    }
  }

  start(): void {
    if (this.scheduler.running) return;
    collectorStatus().running = true;
    this.scheduler.start();
    this.events = watchContainerEvents(this.client, this.cfg.labelSelector, () => this.trigger(), {
      onEvent: (e) => this.ring.push(e),
      onStream: (open) => (this.ring.streaming = open),
    });
  }

  async stop(): Promise<void> {
    collectorStatus().running = false;
    this.events?.stop();
    this.events = null;
    await this.scheduler.stop();
  }

  /** Called after each poll with its state; listeners must not block. Returns an unsubscribe. */
  onPolled(listener: (state: ApiState, at: Date, changed: boolean) => void): () => void {
    return this.live.onPolled(listener);
  }

  /** Called after each poll that was stored, with what was stored (an agent ships it). */
  onRecorded(listener: (poll: PollRecord, state: ApiState) => void): () => void {
    this.recordedListeners.push(listener);
    return () => {
      const i = this.recordedListeners.indexOf(listener);
      if (i >= 0) this.recordedListeners.splice(i, 1);
    };
  }

  /** Asks for a poll soon (debounced): Docker events and pushed snapshots call this. */
  trigger(): void {
    this.scheduler.trigger();
  }
}
