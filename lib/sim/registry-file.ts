// The ProjectContextManager's registry file as the Python code writes it: the same JSON
// shape, naive isoformat() timestamps, atomic tmp-file + rename (and, on demand, a torn write).
import fs from "node:fs";
import path from "node:path";

/** Python's datetime.now().isoformat(): naive, microseconds. */
export function pyIsoNow(d: Date = new Date()): string {
  return d
    .toISOString()
    .replace("Z", "")
    .replace(/\.(\d{3})$/, ".$1000");
}

export class RegistryFile {
  projects: Record<string, string> = {};
  lastActivity: Record<string, string> = {};
  containerPorts: Record<string, number> = {};
  activeProject: string | null = null;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  body(): string {
    const active = this.activeProject;
    return JSON.stringify(
      {
        projects: this.projects,
        last_activity: this.lastActivity,
        active_project: active,
        active_project_path: active ? (this.projects[active] ?? null) : null,
        container_ports: this.containerPorts,
        version: "1.0",
        updated: pyIsoNow(),
      },
      null,
      2,
    );
  }

  setPort(project: string, projectPath: string, port: number): void {
    this.projects[project] = projectPath;
    this.lastActivity[project] = pyIsoNow();
    this.containerPorts[project] = port;
    this.activeProject = project;
    this.write();
  }

  /** What the real ProjectContextManager does: it records the project, never a port. */
  setProject(project: string, projectPath: string): void {
    this.projects[project] = projectPath;
    this.lastActivity[project] = pyIsoNow();
    this.activeProject = project;
    this.write();
  }

  removePort(project: string): void {
    delete this.containerPorts[project];
    this.write();
  }

  write(): void {
    const tmp = `${this.file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, this.body());
    fs.renameSync(tmp, this.file);
  }

  /** A write torn in the middle (the fault the atomic rename normally prevents). */
  writeTorn(): void {
    const b = this.body();
    fs.writeFileSync(this.file, b.slice(0, Math.floor(b.length / 2)));
  }
}
