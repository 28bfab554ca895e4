// Docker adapter: ONE label-filtered list per poll (all=true), ports resolved in the
// contract's order, inspect only for containers whose 8080/tcp is not published, cached by
// id (a container's PortBindings cannot change). Read-only through ReadOnlyDocker.
import { z } from "zod";
import { DockerError, type LabelFilter, type ReadOnlyDocker } from "../docker/client";
import { parsePort } from "../core/ports";
import type { Container } from "../core/types";
import { log } from "../log";

const listEntry = z
  .object({
    Id: z.string().regex(/^[0-9a-f]{64}$/),
    Names: z.array(z.string()).default([]),
    State: z.string(),
    Created: z.number(),
    Labels: z.record(z.string(), z.string()).nullable().default({}),
    Ports: z
      .array(
        z.object({ PrivatePort: z.number(), PublicPort: z.number().optional(), Type: z.string() }).loose(),
      )
      .nullable()
      .default([]),
  })
  .loose();
const listPayload = z.array(listEntry);

const inspectPayload = z
  .object({
    HostConfig: z
      .object({
        PortBindings: z
          .record(z.string(), z.array(z.object({ HostPort: z.string().optional() }).loose()).nullable())
          .nullable()
          .optional(),
      })
      .loose(),
  })
  .loose();

export type DockerRead =
  | { reachable: true; containers: Container[]; latencyMs: number }
  | { reachable: false; error: DockerError; latencyMs: null };

const INSPECT_CONCURRENCY = 8;

export class DockerSource {
  private readonly boundPorts = new Map<string, number | null>();
  /** The last list's containers by id (an unchanged one is handed out again as the same object). */
  private byId = new Map<string, Container>();
  private lastList: Container[] = [];
  /** The containers of the last successful list (shown while Docker is unreachable). */
  lastKnown: Container[] = [];
  lastOkAt: Date | null = null;
  private wasReachable: boolean | null = null;

  constructor(
    private readonly client: ReadOnlyDocker,
    private readonly selector: LabelFilter,
  ) {}

  get endpoint(): string {
    return this.client.endpoint;
  }

  /** Reads Docker at `at`, remembering the last good list and logging reachability changes. */
  async poll(at: Date): Promise<DockerRead> {
    const read = await this.read();
    if (read.reachable) {
      this.lastKnown = read.containers;
      this.lastOkAt = at;
    }
    if (this.wasReachable !== read.reachable) {
      if (read.reachable) log("collector", "info", "Docker reachable", { endpoint: this.endpoint });
      else {
        const fields = { endpoint: this.endpoint, error: read.error.message };
        log("collector", "warn", "Docker unavailable", fields);
      }
      this.wasReachable = read.reachable;
    }
    return read;
  }

  async read(): Promise<DockerRead> {
    const started = performance.now();
    let raw: unknown;
    try {
      raw = await this.client.listContainers(this.selector);
    } catch (err) {
      return {
        reachable: false,
        error: err instanceof DockerError ? err : new DockerError("unreachable", String(err)),
        latencyMs: null,
      };
    }
    const latencyMs = performance.now() - started;
    const parsed = listPayload.safeParse(raw);
    if (!parsed.success) {
      return {
        reachable: false,
        error: new DockerError("parse", `unexpected container list: ${parsed.error.issues[0]?.message}`),
        latencyMs: null,
      };
    }
    const entries = parsed.data;
    const needInspect = entries.filter((e) => publishedPort(e) === null && !this.boundPorts.has(e.Id));
    await this.inspectAll(needInspect.map((e) => e.Id));
    const live = new Set(entries.map((e) => e.Id));
    for (const id of this.boundPorts.keys()) if (!live.has(id)) this.boundPorts.delete(id);
    const previous = this.byId;
    this.byId = new Map();
    const containers = entries.map((e): Container => {
      const labels = e.Labels ?? {};
      const boundPort = publishedPort(e) ?? this.boundPorts.get(e.Id) ?? null;
      const next: Container = {
        id: e.Id,
        name: (e.Names[0] ?? "").replace(/^\//, ""),
        project: labels["com.l9.project"] || null,
        state: e.State,
        createdMs: e.Created * 1000,
        labels,
        port: parsePort(labels["com.l9.port"]) ?? boundPort,
        boundPort,
      };
      // An unchanged container stays the same object, so the divergence core can reuse its
      // project's result (DivergenceMemo compares by identity).
      const before = previous.get(e.Id);
      const kept = before && sameContainer(before, next) ? before : next;
      this.byId.set(e.Id, kept);
      return kept;
    });
    // Nothing changed: the same list object too (the core then reuses its whole result).
    const same =
      containers.length === this.lastList.length && containers.every((c, i) => c === this.lastList[i]);
    if (!same) this.lastList = containers;
    return { reachable: true, containers: this.lastList, latencyMs };
  }

  private async inspectAll(ids: string[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        try {
          const info = inspectPayload.parse(await this.client.inspectContainer(id));
          const hostPort = info.HostConfig.PortBindings?.["8080/tcp"]?.[0]?.HostPort;
          this.boundPorts.set(id, parsePort(hostPort));
        } catch {
          // Gone between list and inspect, or Docker hiccup: try again next poll.
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(INSPECT_CONCURRENCY, ids.length) }, worker));
  }
}

function publishedPort(e: z.infer<typeof listEntry>): number | null {
  const p = (e.Ports ?? []).find((x) => x.PrivatePort === 8080 && x.Type === "tcp" && x.PublicPort);
  return p ? parsePort(p.PublicPort) : null;
}

function sameContainer(a: Container, b: Container): boolean {
  if (
    a.state !== b.state ||
    a.name !== b.name ||
    a.project !== b.project ||
    a.createdMs !== b.createdMs ||
    a.port !== b.port ||
    a.boundPort !== b.boundPort
  )
    return false;
  const ka = Object.keys(a.labels);
  if (ka.length !== Object.keys(b.labels).length) return false;
  for (const k of ka) if (a.labels[k] !== b.labels[k]) return false;
  return true;
}
