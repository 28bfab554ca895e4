// Docker's event stream for the selected containers: each relevant event asks for a poll.
// When the stream ends or cannot be opened it reconnects with back-off (1 s doubling to
// 15 s) and asks for a poll, since Docker may have changed while nobody listened.
import type { Readable } from "node:stream";
import type { LabelFilter, ReadOnlyDocker } from "./client";

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

/** Watches container events until stopped; `onChange` is called for every relevant event. */
export function watchContainerEvents(
  client: ReadOnlyDocker,
  selector: LabelFilter,
  onChange: () => void,
): EventWatch {
  let stopped = false;
  let stream: Readable | null = null;
  let retry: NodeJS.Timeout | null = null;
  let backoffMs = FIRST_BACKOFF_MS;

  const scheduleRetry = () => {
    if (stopped) return;
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
    let buf = "";
    s.on("data", (chunk: Buffer) => {
      buf += chunk.toString("utf8");
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line && isContainerChange(eventAction(line))) onChange();
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
      if (retry) clearTimeout(retry);
      stream?.destroy();
      stream = null;
    },
  };
}
