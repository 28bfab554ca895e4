import { env } from "../env";
import { ReadOnlyDocker } from "./client";

const g = globalThis as typeof globalThis & { __l9Docker?: ReadOnlyDocker };

/** The process's one Docker client, for DOCKER_HOST. */
export function getDockerClient(): ReadOnlyDocker {
  const cfg = env();
  if (!g.__l9Docker || g.__l9Docker.endpoint !== cfg.dockerHost) {
    g.__l9Docker = new ReadOnlyDocker(cfg.dockerHost, cfg.dockerTimeoutMs);
  }
  return g.__l9Docker;
}
