// The read-only Docker client. It exposes reads only (ping, version, list, inspect,
// events), and every request, ours or dockerode's, passes one choke point that refuses
// anything but GET (and HEAD) before it reaches the socket. See client.test.ts.
import Docker from "dockerode";
import type { ContainerInfo, ContainerInspectInfo } from "dockerode";
import type { Readable } from "node:stream";

export type DockerErrorKind = "unreachable" | "timeout" | "parse" | "permission" | "refused_write";

export class DockerError extends Error {
  override name = "DockerError";
  constructor(
    readonly kind: DockerErrorKind,
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/** Raised when anything asks the client to do more than read. */
export class ReadOnlyViolation extends DockerError {
  constructor(method: string, path: string) {
    super("refused_write", `refused ${method} ${path}: this client is read-only`);
  }
}

export type LabelFilter = { key: string; value: string }[];

const ALLOWED_METHODS = new Set(["GET", "HEAD"]);

/** Counts across the process: Phase 0's "no Docker writes" criterion reads these. */
const g = globalThis as typeof globalThis & {
  __l9DockerCounters?: { requests: number; refusedWrites: number };
};
export const dockerCounters = (g.__l9DockerCounters ??= { requests: 0, refusedWrites: 0 });

type DialOptions = { method?: string; path?: string };
type Modem = { dial: (options: DialOptions, callback: (err: unknown, data: unknown) => void) => void };

export function dockerOptionsFromHost(dockerHost: string): Docker.DockerOptions {
  if (dockerHost.startsWith("unix://")) return { socketPath: dockerHost.slice("unix://".length) };
  const url = new URL(dockerHost.replace(/^tcp:/, "http:"));
  return { protocol: "http", host: url.hostname, port: Number(url.port) };
}

function classify(err: unknown): DockerError {
  if (err instanceof DockerError) return err;
  const e = err as { code?: string; statusCode?: number; message?: string; reason?: string };
  const message = e?.message ?? String(err);
  if (e?.code === "EACCES" || e?.code === "EPERM")
    return new DockerError("permission", `permission denied: ${message}`);
  if (e?.statusCode !== undefined)
    return new DockerError(
      "unreachable",
      `Docker answered ${e.statusCode}: ${e.reason ?? message}`,
      e.statusCode,
    );
  if (e?.code === "ETIMEDOUT" || /timeout/i.test(message)) return new DockerError("timeout", message);
  return new DockerError("unreachable", message);
}

export class ReadOnlyDocker {
  private readonly docker: Docker;
  /**
   * For the events stream only: no socket timeout, since an events stream is silent until
   * something happens (with one, it was cut after every quiet `timeoutMs` and a change in the
   * reconnect gap waited for the next interval). Opening it is still bounded by `call`.
   */
  private readonly streams: Docker;

  constructor(
    readonly endpoint: string,
    private readonly timeoutMs: number,
  ) {
    this.docker = new Docker({ ...dockerOptionsFromHost(endpoint), timeout: timeoutMs });
    guardModem(this.docker.modem as unknown as Modem);
    this.streams = new Docker(dockerOptionsFromHost(endpoint));
    guardModem(this.streams.modem as unknown as Modem);
  }

  /** Exposed for the read-only test only: proves the choke point holds for any dockerode call. */
  get unsafeRawForTest(): Docker {
    return this.docker;
  }

  async ping(): Promise<void> {
    await this.call(() => this.docker.ping());
  }

  async version(): Promise<{ ApiVersion: string; Version: string }> {
    return this.call(() => this.docker.version());
  }

  async listContainers(labels: LabelFilter): Promise<ContainerInfo[]> {
    return this.call(() =>
      this.docker.listContainers({ all: true, filters: { label: labels.map((l) => `${l.key}=${l.value}`) } }),
    );
  }

  async inspectContainer(id: string): Promise<ContainerInspectInfo> {
    return this.call(() => this.docker.getContainer(id).inspect());
  }

  /** The events stream for containers matching the labels; the caller ends it with destroy(). */
  async containerEvents(labels: LabelFilter): Promise<Readable> {
    const stream = await this.call(() =>
      this.streams.getEvents({
        filters: { type: ["container"], label: labels.map((l) => `${l.key}=${l.value}`) },
      }),
    );
    return stream as unknown as Readable;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DockerError("timeout", `Docker did not answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([fn(), timeout]);
    } catch (err) {
      throw classify(err);
    } finally {
      clearTimeout(timer);
    }
  }
}

function guardModem(modem: Modem): void {
  const dial = modem.dial.bind(modem);
  modem.dial = (options, callback) => {
    const method = (options.method ?? "GET").toUpperCase();
    if (!ALLOWED_METHODS.has(method)) {
      dockerCounters.refusedWrites += 1;
      callback(new ReadOnlyViolation(method, options.path ?? "?"), undefined);
      return;
    }
    dockerCounters.requests += 1;
    dial(options, callback);
  };
}
