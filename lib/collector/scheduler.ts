// When polls run: every interval, and soon after a trigger (a Docker event or a pushed
// snapshot), debounced so a burst of events gives one poll (150 ms after the last trigger,
// at most 750 ms after the first). One poll at a time; a trigger during a poll runs one more.
const DEBOUNCE_MS = 150;
const MAX_DEBOUNCE_MS = 750;

export class PollScheduler<T> {
  private polling: Promise<T> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private debounceTimer: NodeJS.Timeout | null = null;
  private firstTriggerAt = 0;
  private stopped = true;

  constructor(
    private readonly poll: () => Promise<T>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  get running(): boolean {
    return !this.stopped;
  }

  /** Runs one poll now, or joins the one in flight (and asks for one more after it). */
  runOnce(): Promise<T> {
    if (this.polling) {
      this.again = true;
      return this.polling;
    }
    this.polling = this.poll().finally(() => {
      this.polling = null;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.runOnce().catch(() => undefined);
      }
    });
    return this.polling;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      const started = Date.now();
      try {
        await this.runOnce();
      } catch (err) {
        this.onError(err);
      }
      if (this.stopped) return;
      this.timer = setTimeout(loop, Math.max(0, this.intervalMs - (Date.now() - started)));
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.timer, this.debounceTimer]) if (t) clearTimeout(t);
    this.debounceTimer = null;
    await this.polling?.catch(() => undefined);
  }

  /** Asks for a poll soon (debounced). */
  trigger(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (!this.debounceTimer) this.firstTriggerAt = now;
    else clearTimeout(this.debounceTimer);
    const wait = Math.min(DEBOUNCE_MS, Math.max(0, this.firstTriggerAt + MAX_DEBOUNCE_MS - now));
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.runOnce().catch(() => undefined);
    }, wait);
  }
}
