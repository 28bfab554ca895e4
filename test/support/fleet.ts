// Real containers on the private test daemon. Test helpers may write to that daemon; the
// product never does. Each fleet has its own run label so tests never see each other.
import crypto from "node:crypto";
import Docker from "dockerode";
import { projectHash } from "../../lib/core/paths";
import { STUB_IMAGE } from "../../lib/dev/private-dockerd";

export type ContainerSpec = {
  project?: string | null;
  port?: number;
  /** Phase 1 labels (project_hash, port, project_path) */
  phase1?: boolean;
  labels?: Record<string, string>;
  start?: boolean;
  publish?: boolean;
};

export class Fleet {
  readonly docker: Docker;
  readonly runId = `t${crypto.randomBytes(4).toString("hex")}`;

  constructor(readonly socketPath: string) {
    this.docker = new Docker({ socketPath });
  }

  /** L9_LABEL_SELECTOR that sees only this fleet. */
  get selector(): string {
    return `com.l9.managed=true,com.l9.testrun=${this.runId}`;
  }

  async run(spec: ContainerSpec): Promise<string> {
    const project = spec.project === undefined ? "alpha" : spec.project;
    const port = spec.port ?? 48100;
    const path = `/home/dev/${project ?? "x"}`;
    const labels: Record<string, string> = {
      "com.l9.managed": "true",
      "com.l9.testrun": this.runId,
      "com.l9.created": String(Math.floor(Date.now() / 1000)),
      ...(project !== null ? { "com.l9.project": project } : {}),
      ...(spec.phase1
        ? {
            "com.l9.project_hash": projectHash(path),
            "com.l9.port": String(port),
            "com.l9.project_path": path,
          }
        : {}),
      ...spec.labels,
    };
    const c = await this.docker.createContainer({
      Image: STUB_IMAGE,
      Cmd: ["/bin/sleep", "3600"],
      Labels: labels,
      ExposedPorts: { "8080/tcp": {} },
      HostConfig: { NetworkMode: "none", PortBindings: { "8080/tcp": [{ HostPort: String(port) }] } },
    });
    if (spec.start !== false) await c.start();
    return c.id;
  }

  async stop(id: string): Promise<void> {
    await this.docker.getContainer(id).stop({ t: 0 });
  }

  async kill(id: string): Promise<void> {
    await this.docker.getContainer(id).kill();
  }

  async remove(id: string): Promise<void> {
    await this.docker.getContainer(id).remove({ force: true });
  }

  async cleanup(): Promise<void> {
    const list = await this.docker.listContainers({
      all: true,
      filters: { label: [`com.l9.testrun=${this.runId}`] },
    });
    await Promise.all(
      list.map((c) =>
        this.docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
  }
}
