// What a simulated orchestrator process is made of: its options, entries and process (shared by
// lib/sim/orchestrator.ts and what builds its wire bodies).
import crypto from "node:crypto";
import type Docker from "dockerode";
import type { RegistryFile } from "./registry-file";

export const SIM_LABEL = "com.l9.sim";
export const FIRST_PORT = 48100;

export type IndexerEntry = {
  container_id: string;
  /** "" is what the real orchestrator writes before Docker assigns a port (CONTRACT 6c) */
  port: number | "";
  last_activity: string;
  project_path: string;
};
export type SimOptions = {
  docker: Docker;
  runId: string;
  registry: RegistryFile;
  ingestUrl: string | null;
  /** Delivers a body to an ingest path instead of HTTP (tests hand it to the collector). */
  deliver?: (path: string, body: unknown) => Promise<void>;
  token?: string;
  phase: number;
  maxIndexers?: number;
  log?: (line: string) => void;
  /**
   * Behave like the real neural-tools orchestrator: names with a timestamp, only the three
   * original labels, a dynamic host port (the dict holds ""), auto-removed containers, and a
   * registry that lists projects but never container_ports.
   */
  upstream?: boolean;
  /**
   * Behave like the ADR-0098 branch (CONTRACT 7): one process holds its own projects, stops
   * indexers into stopped_indexers, reports allocated_ports, writes a 12-hex project hash and
   * labels test-named projects com.l9.test=true.
   */
  branch?: boolean;
  /** Several orchestrators of one process (CONTRACT 6a): the dicts reported together. */
  process?: SimProcess;
  /** This dict's name within its process. */
  dictName?: string;
};

/** One orchestrator process holding several dicts (one per project service, as the MCP server does). */
export class SimProcess {
  readonly instanceId = `mcp-${crypto.randomBytes(3).toString("hex")}`;
  readonly startedAt = new Date();
  readonly members: { opts: SimOptions; active: Map<string, IndexerEntry> }[] = [];
}

export type StoppedEntry = {
  container_id: string;
  stop_time: string;
  port: number | "";
  project_path: string;
};

/** The branch code decides the test label from the project's name (CONTRACT 7e). */
export const branchIsTest = (project: string) => /test-|adr63-|adr60-|mount-test/.test(project);
