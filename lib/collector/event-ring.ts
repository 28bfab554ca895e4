// Issue 25: the collector's recent Docker events per project, for the in-flight rule. Bounded
// by count and age (the last 10 minutes, at most 10,000 events). In memory only: a restart
// starts empty (fewer checks in flight, never more). While the event stream is down the ring
// says so and the poll passes no events: nothing is in flight then.
import type { DockerEvent } from "../docker/events";
import type { ContainerEvent } from "../core/types";

export const RING_MAX_EVENTS = 10_000;
export const RING_MAX_AGE_MS = 10 * 60_000;

export class EventRing {
  /** oldest first; `head` is the first kept */
  private queue: { project: string; event: ContainerEvent }[] = [];
  private head = 0;
  /** per project, oldest first; an array is replaced (never changed) when its project's events change */
  private readonly perProject = new Map<string, readonly ContainerEvent[]>();
  private snapshot: ReadonlyMap<string, readonly ContainerEvent[]> | null = null;
  /** whether the event stream is open now */
  streaming = false;

  constructor(
    private readonly maxEvents = RING_MAX_EVENTS,
    private readonly maxAgeMs = RING_MAX_AGE_MS,
  ) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  /** An event of a container without com.l9.project explains no project's check: not kept. */
  push(e: DockerEvent): void {
    if (e.project === null) return;
    const event: ContainerEvent = { action: e.action, atMs: e.atMs };
    this.queue.push({ project: e.project, event });
    this.perProject.set(e.project, [...(this.perProject.get(e.project) ?? []), event]);
    this.snapshot = null;
    while (this.size > this.maxEvents) this.dropOldest();
  }

  /**
   * The events per project for a poll at `nowMs` (older than the age bound dropped), or
   * undefined while the stream is down. The same map object while nothing changed.
   */
  view(nowMs: number): ReadonlyMap<string, readonly ContainerEvent[]> | undefined {
    if (!this.streaming) return undefined;
    while (this.size > 0 && this.queue[this.head]!.event.atMs < nowMs - this.maxAgeMs) this.dropOldest();
    this.snapshot ??= new Map(this.perProject);
    return this.snapshot;
  }

  private dropOldest(): void {
    const { project } = this.queue[this.head]!;
    this.head += 1;
    const rest = (this.perProject.get(project) ?? []).slice(1);
    if (rest.length === 0) this.perProject.delete(project);
    else this.perProject.set(project, rest);
    this.snapshot = null;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
