// Docker's event stream for the selected containers: each relevant event asks for a poll.
// When the stream ends or cannot be opened it reconnects with back-off (1 s doubling to
// 15 s) and asks for a poll, since Docker may have changed while nobody listened.
// Issue 25: each create/start/stop/die/destroy line is also handed on with its time and the
// container's com.l9.project (a removed container is known only from its destroy event).
import type { Readable } from "node:stream";
import type { ContainerEvent } from "../core/types";
import type { LabelFilter, ReadOnlyDocker } from "./client";

/** One event line as the in-flight rule needs it: which project, what happened, when. */
export type DockerEvent = { containerId: string; project: string | null } & ContainerEvent;

const TIMED_ACTIONS = new Set<string>(["create", "start", "stop", "die", "destroy"]);

/** The timed event of one line (Docker's `timeNano`, else `time` in seconds), or null. */
export function timedEvent(line: string): DockerEvent | null {
  let ev: unknown;
  try {
    ev = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof ev !== "object" || ev === null) return null;
  const e = ev as {
    Action?: unknown;
    status?: unknown;
    id?: unknown;
    time?: unknown;
    timeNano?: unknown;
    Actor?: { ID?: unknown; Attributes?: Record<string, unknown> };
  };
  const raw = typeof e.Action === "string" ? e.Action : typeof e.status === "string" ? e.status : "";
  const action = raw.split(":")[0] ?? "";
  if (!TIMED_ACTIONS.has(action)) return null;
  const atMs =
    typeof e.timeNano === "number" && e.timeNano > 0
      ? e.timeNano / 1e6
      : typeof e.time === "number" && e.time > 0
        ? e.time * 1000
        : null;
  const id = typeof e.Actor?.ID === "string" ? e.Actor.ID : typeof e.id === "string" ? e.id : null;
  if (atMs === null || id === null) return null;
  const label = e.Actor?.Attributes?.["com.l9.project"];
  return {
    containerId: id,
    project: typeof label === "string" && label !== "" ? label : null,
    action: action as ContainerEvent["action"],
    atMs,
  };
}

const EVENT_ACTIONS = new Set([
  "create",
  "start",
  "restart",
  "die",
  "stop",
  "kill",
  "destroy",
  "pause",
  "unpause",
  "oom",
]);
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 15_000;

/** The action of one event line, or null for a partial or foreign line. */
export function eventAction(line: string): string | null {
  try {
    const ev = JSON.parse(line) as { Action?: unknown; status?: unknown };
    const raw = typeof ev.Action === "string" ? ev.Action : typeof ev.status === "string" ? ev.status : "";
    return raw.split(":")[0] ?? "";
  } catch {
    return null;
  }
}

export function isContainerChange(action: string | null): boolean {
  return action !== null && EVENT_ACTIONS.has(action);
}

export type EventWatch = { stop(): void };

export type EventHooks = {
  /** each timed event (issue 25), before `onChange` */
  onEvent?: (e: DockerEvent) => void;
  /** the stream opened (true) or ended / could not open (false) */
  onStream?: (open: boolean) => void;
};

/** Watches container events until stopped; `onChange` is called for every relevant event. */
export function watchContainerEvents(
  client: ReadOnlyDocker,
  selector: LabelFilter,
  onChange: () => void,
  hooks: EventHooks = {},
): EventWatch {
  let stopped = false;
  let stream: Readable | null = null;
  let retry: NodeJS.Timeout | null = null;
  let backoffMs = FIRST_BACKOFF_MS;

  const scheduleRetry = () => {
    if (stopped) return;
    hooks.onStream?.(false);
    retry = setTimeout(() => void open(), backoffMs);
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    onChange();
  };

  const open = async () => {
    if (stopped) return;
    let s: Readable;
    try {
      s = await client.containerEvents(selector);
    } catch {
      scheduleRetry();
      return;
    }
    if (stopped) {
      s.destroy();
      return;
    }
    stream = s;
    backoffMs = FIRST_BACKOFF_MS;
    hooks.onStream?.(true);
    let buf = "";
    s.on("data", (chunk: Buffer) => {
      buf += chunk.toString("utf8");
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line || !isContainerChange(eventAction(line))) continue;
        if (hooks.onEvent) {
          const timed = timedEvent(line);
          if (timed) hooks.onEvent(timed);
        }
        onChange();
      }
    });
    const ended = () => {
      if (stream !== s) return;
      stream = null;
      scheduleRetry();
    };
    s.on("end", ended);
    s.on("close", ended);
    s.on("error", ended);
  };

  void open();
  return {
    stop() {
      stopped = true;
      hooks.onStream?.(false);
      if (retry) clearTimeout(retry);
      stream?.destroy();
      stream = null;
    },
  };
}
