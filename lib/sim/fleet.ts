// A simulated fleet: several orchestrator processes sharing one registry file and one Docker
// daemon, with the faults of CONTRACT.md's world on demand.
import crypto from "node:crypto";
import Docker from "dockerode";
import { RegistryFile } from "./registry-file";
import { SIM_LABEL, SimOrchestrator, SimProcess, type SimOptions } from "./orchestrator";

export type FleetOptions = {
  docker: Docker;
  registryPath: string;
  ingestUrl: string | null;
  deliver?: SimOptions["deliver"];
  token?: string;
  phase: number;
  instances: number;
  runId?: string;
  maxIndexers?: number;
  log?: (line: string) => void;
  /** Like the real server: `instances` orchestrators in ONE process, upstream behaviour (see SimOptions). */
  upstream?: boolean;
  /** Like the ADR-0098 branch: one process per project, stopped indexers, allocations (SimOptions.branch). */
  branch?: boolean;
};

export class SimFleet {
  readonly runId: string;
  readonly registry: RegistryFile;
  instances: SimOrchestrator[] = [];
  /** Processes killed without a word: they send nothing more, so their snapshots go stale. */
  readonly killed: SimOrchestrator[] = [];
  phase: number;
  restarts = 0;

  constructor(readonly opts: FleetOptions) {
    this.runId = opts.runId ?? `sim-${crypto.randomBytes(3).toString("hex")}`;
    this.registry = new RegistryFile(opts.registryPath);
    this.phase = opts.phase;
    this.instances = this.newInstances();
  }

  private newInstances(): SimOrchestrator[] {
    const process = this.opts.upstream ? new SimProcess() : undefined;
    return Array.from(
      { length: this.opts.instances },
      (_, i) => new SimOrchestrator({ ...this.simOptions(), process, dictName: `orchestrator-${i + 1}` }),
    );
  }

  /**
   * The upstream process exits cleanly (its exporter says so at exit) and a new one starts
   * with fresh dicts, which adopt the running containers as their projects are touched again.
   */
  async restartCleanly(): Promise<void> {
    const old = this.instances[0];
    if (!old) return;
    await old.exitCleanly();
    this.instances = this.newInstances();
    this.opts.log?.(`[sim] ${old.instanceId} exited cleanly; ${this.instances[0]!.instanceId} started`);
  }

  /** The label selector that sees only this fleet's containers. */
  get selector(): string {
    return `com.l9.managed=true,${SIM_LABEL}=${this.runId}`;
  }

  private simOptions(): SimOptions {
    return {
      docker: this.opts.docker,
      runId: this.runId,
      registry: this.registry,
      ingestUrl: this.opts.ingestUrl,
      deliver: this.opts.deliver,
      token: this.opts.token,
      phase: this.phase,
      maxIndexers: this.opts.maxIndexers,
      log: this.opts.log,
      upstream: this.opts.upstream,
      branch: this.opts.branch,
    };
  }

  setPhase(phase: number): void {
    this.phase = phase;
    for (const i of this.instances) i.opts.phase = phase;
  }

  /** Refuses a daemon holding com.l9.managed containers this simulator did not create. */
  static async foreignContainers(docker: Docker): Promise<number> {
    const all = await docker.listContainers({ all: true, filters: { label: ["com.l9.managed=true"] } });
    return all.filter((c) => !c.Labels[SIM_LABEL]).length;
  }

  /** The process crashes: its dict is lost, its containers keep running, it comes back with a new id. */
  async crash(index: number): Promise<SimOrchestrator> {
    const old = this.instances[index];
    if (!old) throw new Error(`no instance ${index}`);
    const next = new SimOrchestrator(this.simOptions());
    // Before Phase 3 it forgets its ports too, so it may hand out one the registry still maps elsewhere.
    if (this.phase >= 3) await next.rebuildFromDocker();
    this.instances[index] = next;
    this.restarts += 1;
    this.opts.log?.(`[sim] ${old.instanceId} crashed; back as ${next.instanceId}`);
    await next.pushSnapshot();
    return next;
  }

  /** The process is killed (no restart, no last snapshot): its containers, running or stopped, stay. */
  kill(index: number): SimOrchestrator {
    const [gone] = this.instances.splice(index, 1);
    if (!gone) throw new Error(`no instance ${index}`);
    this.killed.push(gone);
    this.opts.log?.(`[sim] ${gone.instanceId} was killed; its snapshot will go stale`);
    return gone;
  }

  /** The orchestrator's own test suite: a process that reports to nobody starts a test container. */
  async testRun(project: string): Promise<string> {
    // Its own registry file beside the shared one: the test suite's project is no real project.
    const registry = new RegistryFile(`${this.opts.registryPath}.test-run`);
    const o = new SimOrchestrator({ ...this.simOptions(), registry, ingestUrl: null, deliver: undefined });
    const e = await o.ensureIndexer(project);
    this.opts.log?.(`[sim] a test run started ${e.container_id} (${project})`);
    return e.container_id;
  }

  /** Kills a project's container behind the orchestrator's back. */
  async killBehindBack(project: string): Promise<boolean> {
    const running = await this.opts.docker.listContainers({
      filters: { label: [`${SIM_LABEL}=${this.runId}`, `com.l9.project=${project}`], status: ["running"] },
    });
    const c = running[0];
    if (!c) return false;
    await this.opts.docker
      .getContainer(c.Id)
      .kill()
      .catch(() => undefined);
    this.opts.log?.(`[sim] killed ${c.Id.slice(0, 12)} (${project}) behind the orchestrator's back`);
    return true;
  }

  /** A duplicate start: a second container for a project that already runs one. */
  async duplicateStart(project: string, instance = 0): Promise<string> {
    const o = this.instances[instance]!;
    const id = await o.createContainer(project, o.allocatePort());
    this.opts.log?.(`[sim] duplicate start of ${project}: ${id.slice(0, 12)}`);
    return id;
  }

  tornRegistryWrite(): void {
    this.registry.writeTorn();
    this.opts.log?.("[sim] registry write torn in the middle");
  }

  async heartbeat(): Promise<void> {
    // One process sends one snapshot, however many dicts it holds.
    await Promise.all(
      this.instances.map(async (i, n) => {
        if (n === 0 || !this.opts.upstream) await i.pushSnapshot();
        await i.flushReads();
      }),
    );
  }

  async cleanup(): Promise<void> {
    const all = await this.opts.docker.listContainers({
      all: true,
      filters: { label: [`${SIM_LABEL}=${this.runId}`] },
    });
    await Promise.all(
      all.map((c) =>
        this.opts.docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
  }
}
