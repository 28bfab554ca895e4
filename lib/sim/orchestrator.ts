// A simulated L9 orchestrator process (the Python IndexerOrchestrator), on a real Docker
// daemon: real containers from the stub image with --network none, its own in-memory
// active_indexers dict, the shared registry file, snapshots and read events pushed to the
// ingest routes. It only ever touches containers carrying its run label.
import crypto from "node:crypto";
import Docker from "dockerode";
import { parsePort } from "../core/ports";
import { STUB_IMAGE } from "../dev/private-dockerd";
import { FIRST_PORT, SIM_LABEL } from "./orchestrator-options";
import type { IndexerEntry, SimOptions, StoppedEntry } from "./orchestrator-options";
import { postToIngest, simLabels } from "./orchestrator-wire";
import { pyIsoNow } from "./registry-file";

export { branchIsTest, FIRST_PORT, SIM_LABEL, SimProcess } from "./orchestrator-options";
export type { IndexerEntry, SimOptions, StoppedEntry } from "./orchestrator-options";

export class SimOrchestrator {
  readonly instanceId: string;
  readonly startedAt: Date = new Date();
  /** Not readonly: the branch's Phase 3 rebuild replaces the dict with a new one (7f). */
  active = new Map<string, IndexerEntry>();
  readonly ports = new Set<number>();
  /** Branch only: stopped_indexers (7b) and allocated_ports (7c) of this process. */
  readonly stopped = new Map<string, StoppedEntry>();
  readonly allocated = new Map<number, { project: string | null; since: string }>();
  /** The projects this process ensured (its own project directory). */
  readonly own = new Set<string>();
  dockerDown = false;
  private pendingReads: {
    at: string;
    project: string;
    served_by: "docker" | "fallback";
    docker_ok: boolean;
    latency_ms: number;
  }[] = [];

  constructor(
    readonly opts: SimOptions,
    instanceId?: string,
  ) {
    this.instanceId =
      instanceId ?? opts.process?.instanceId ?? `mcp-${crypto.randomBytes(3).toString("hex")}`;
    if (opts.process) {
      this.startedAt = opts.process.startedAt;
      opts.process.members.push(this);
    }
  }

  private get docker(): Docker {
    return this.opts.docker;
  }

  private labels(project: string, port: number | ""): Record<string, string> {
    return simLabels(this.opts, project, port);
  }

  /** The next free port from 48100, by this process's own in-memory set. */
  allocatePort(project: string | null = null): number {
    let p = FIRST_PORT;
    while (this.ports.has(p)) p++;
    this.ports.add(p);
    this.allocated.set(p, { project, since: new Date().toISOString() });
    return p;
  }

  async createContainer(project: string, port: number | ""): Promise<string> {
    const upstream = this.opts.upstream === true;
    const c = await this.docker.createContainer({
      Image: STUB_IMAGE,
      Cmd: ["/bin/sleep", "86400"],
      // The real one: indexer-{project}-{unix seconds}-{4 hex}.
      name: upstream
        ? `indexer-${project}-${Math.floor(Date.now() / 1000)}-${crypto.randomBytes(2).toString("hex")}`
        : `indexer-${project}-${crypto.randomBytes(2).toString("hex")}`,
      Labels: this.labels(project, port),
      ExposedPorts: { "8080/tcp": {} },
      HostConfig: {
        NetworkMode: "none",
        // ports={'8080/tcp': None}: Docker picks the host port (none is published under --network none).
        PortBindings: { "8080/tcp": [{ HostPort: String(port) }] },
        AutoRemove: upstream,
      },
    });
    await c.start();
    return c.id;
  }

  /** ensure_indexer: reuse a live one, else start one and record it in the dict and the registry. */
  async ensureIndexer(project: string): Promise<IndexerEntry> {
    this.own.add(project);
    const have = this.active.get(project);
    if (have && (await this.isRunning(have.container_id))) {
      have.last_activity = pyIsoNow();
      return have;
    }
    // Another process may already run it: adopt the running container (by its label).
    const adopted = await this.adopt(project);
    if (adopted) return adopted;
    const max = this.opts.maxIndexers ?? 20;
    while (this.active.size >= max) await this.evictLeastRecentlyUsed();
    const port = this.opts.upstream ? "" : this.allocatePort(project);
    const id = await this.createContainer(project, port);
    const entry: IndexerEntry = {
      container_id: this.opts.upstream ? id : id.slice(0, 12),
      port,
      last_activity: pyIsoNow(),
      project_path: `/home/dev/${project}`,
    };
    this.active.set(project, entry);
    // The branch's registry, like main's, lists projects but keeps no container_ports (a guess).
    if (port === "" || this.opts.branch) this.opts.registry.setProject(project, entry.project_path);
    else this.opts.registry.setPort(project, entry.project_path, port);
    await this.pushSnapshot();
    return entry;
  }

  private async adopt(project: string): Promise<IndexerEntry | null> {
    const running = await this.docker.listContainers({
      filters: {
        label: [`${SIM_LABEL}=${this.opts.runId}`, `com.l9.project=${project}`],
        status: ["running"],
      },
    });
    const c = running.sort((a, b) => b.Created - a.Created)[0];
    if (!c) return null;
    const port = Number(c.Labels["com.l9.port"] ?? NaN);
    const bound = Number.isInteger(port) ? port : await this.boundPort(c.Id);
    if (bound === null && !this.opts.upstream) return null;
    const entry: IndexerEntry = {
      container_id: c.Id.slice(0, 12),
      port: bound ?? "",
      last_activity: pyIsoNow(),
      project_path: `/home/dev/${project}`,
    };
    this.active.set(project, entry);
    if (bound !== null) this.ports.add(bound);
    if (bound !== null && this.opts.branch)
      this.allocated.set(bound, { project, since: entry.last_activity });
    await this.pushSnapshot();
    return entry;
  }

  private async boundPort(id: string): Promise<number | null> {
    try {
      const info = await this.docker.getContainer(id).inspect();
      // "" (a dynamic port not assigned, as under --network none) is no port.
      return parsePort(info.HostConfig.PortBindings?.["8080/tcp"]?.[0]?.HostPort);
    } catch {
      return null;
    }
  }

  private async isRunning(id: string): Promise<boolean> {
    try {
      const info = await this.docker.getContainer(id).inspect();
      return info.State.Running;
    } catch {
      return false;
    }
  }

  async evictLeastRecentlyUsed(): Promise<void> {
    const oldest = [...this.active.entries()].sort((a, b) =>
      a[1].last_activity.localeCompare(b[1].last_activity),
    )[0];
    if (oldest) await this.idleCleanup(oldest[0]);
  }

  /** Idle clean-up: stop and remove the container and forget it in the dict; the registry entry stays (as in the real code). */
  async idleCleanup(project: string): Promise<void> {
    const e = this.active.get(project);
    if (!e) return;
    // The real one stops it and Docker removes it (auto_remove); ours removes it directly.
    const c = this.docker.getContainer(e.container_id);
    await (this.opts.upstream ? c.stop({ t: 0 }) : c.remove({ force: true })).catch(() => undefined);
    this.active.delete(project);
    if (e.port !== "") this.ports.delete(e.port);
    // Before Phase 3 the registry entry is left behind, as the real code does.
    if (this.opts.phase >= 3) this.opts.registry.removePort(project);
    await this.pushSnapshot();
  }

  /**
   * The branch's stop: the container is stopped, not removed (auto_remove=False, 24-hour grace
   * period), and moves from active_indexers to stopped_indexers; its port stays allocated.
   */
  async stopIndexer(project: string): Promise<void> {
    const e = this.active.get(project);
    if (!e) return;
    await this.docker
      .getContainer(e.container_id)
      .stop({ t: 0 })
      .catch(() => undefined);
    this.active.delete(project);
    this.stopped.set(project, {
      container_id: e.container_id,
      stop_time: new Date().toISOString(),
      port: e.port,
      project_path: e.project_path,
    });
    await this.pushSnapshot();
  }

  /** Garbage collection of this run's stopped containers. */
  async collectGarbage(): Promise<number> {
    const stopped = await this.docker.listContainers({
      all: true,
      filters: { label: [`${SIM_LABEL}=${this.opts.runId}`], status: ["exited", "created", "dead"] },
    });
    await Promise.all(
      stopped.map((c) =>
        this.docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
    return stopped.length;
  }

  /** A read through the orchestrator: Docker first, the dict when Docker fails (Phase 2). */
  read(project: string): void {
    const ok = !this.dockerDown;
    this.pendingReads.push({
      at: new Date().toISOString(),
      project,
      served_by: ok && this.active.has(project) ? "docker" : "fallback",
      docker_ok: ok,
      latency_ms: ok ? 2 + Math.random() * 8 : 1000,
    });
  }

  /** Rebuilds the dict from Docker (Phase 3 crash recovery). */
  async rebuildFromDocker(): Promise<void> {
    // The branch assigns a new dict (self.active_indexers = {}) and fills it with its own projects.
    if (this.opts.branch) this.active = new Map();
    else this.active.clear();
    const running = await this.docker.listContainers({
      filters: { label: [`${SIM_LABEL}=${this.opts.runId}`, "com.l9.managed=true"], status: ["running"] },
    });
    for (const c of running) {
      const project = c.Labels["com.l9.project"];
      const port = Number(c.Labels["com.l9.port"] ?? NaN);
      if (!project || !Number.isInteger(port)) continue;
      if (this.opts.branch && !this.own.has(project)) continue;
      this.active.set(project, {
        container_id: c.Id.slice(0, 12),
        port,
        last_activity: pyIsoNow(),
        project_path: c.Labels["com.l9.project_path"] ?? `/home/dev/${project}`,
      });
      this.ports.add(port);
    }
    await this.pushSnapshot();
  }

  /** This process's snapshot: with several dicts, each under its name and their union (6a). */
  snapshot(ended = false) {
    const members = this.opts.process?.members ?? [this];
    const orchestrators = members.map((m, i) => ({
      name: m.opts.dictName ?? `orchestrator-${i + 1}`,
      indexers: Object.fromEntries(m.active),
    }));
    const union: Record<string, IndexerEntry> = {};
    for (const o of orchestrators) for (const [p, e] of Object.entries(o.indexers)) union[p] ??= e;
    return {
      instance_id: this.instanceId,
      started_at: this.startedAt.toISOString(),
      taken_at: new Date().toISOString(),
      indexers: union,
      ...(this.opts.process ? { orchestrators } : {}),
      ...(this.opts.branch
        ? {
            stopped_indexers: Object.fromEntries(this.stopped),
            allocated_ports: [...this.allocated].map(([port, a]) => ({ port, ...a })),
          }
        : {}),
      ...(ended ? { ended: true } : {}),
    };
  }

  /** A clean exit: the exporter's last snapshot, marked ended (6b). */
  async exitCleanly(): Promise<void> {
    await this.post("/api/v1/ingest/active-indexers", this.snapshot(true));
  }

  async pushSnapshot(): Promise<void> {
    await this.post("/api/v1/ingest/active-indexers", this.snapshot());
  }

  async flushReads(): Promise<void> {
    if (this.pendingReads.length === 0) return;
    const events = this.pendingReads.splice(0);
    await this.post("/api/v1/ingest/read-events", { instance_id: this.instanceId, events });
  }

  private post(path: string, body: unknown): Promise<void> {
    return postToIngest(this.opts, path, body);
  }
}
