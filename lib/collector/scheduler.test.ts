import { afterEach, describe, expect, test, vi } from "vitest";
import { PollScheduler } from "./scheduler";

afterEach(() => vi.useRealTimers());

function counting() {
  let n = 0;
  const calls: number[] = [];
  const poll = async () => {
    calls.push(Date.now());
    return ++n;
  };
  return { poll, calls };
}

describe("PollScheduler", () => {
  test("a poll asked for during one in flight joins it and runs once more after it", async () => {
    let release: () => void = () => undefined;
    let runs = 0;
    const s = new PollScheduler(
      () => new Promise<number>((r) => ((release = () => r(++runs)), undefined)),
      60_000,
      () => undefined,
    );
    s.start();
    const first = s.runOnce();
    const joined = s.runOnce();
    expect(joined).toBe(first);
    release();
    expect(await first).toBe(1);
    await vi.waitFor(() => expect(runs).toBe(1));
    release();
    await vi.waitFor(() => expect(runs).toBe(2));
    await s.stop();
  });

  test("a burst of triggers gives one poll, 150 ms after the last", async () => {
    vi.useFakeTimers();
    const { poll, calls } = counting();
    const s = new PollScheduler(poll, 3_600_000, () => undefined);
    s.start();
    await vi.advanceTimersByTimeAsync(0); // the loop's first poll
    expect(calls).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      s.trigger();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60);
    expect(calls).toHaveLength(2);
    await s.stop();
  });

  test("endless triggers still poll within 750 ms of the first", async () => {
    vi.useFakeTimers();
    const { poll, calls } = counting();
    const s = new PollScheduler(poll, 3_600_000, () => undefined);
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 10; i++) {
      s.trigger();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(calls.length).toBeGreaterThanOrEqual(2);
    await s.stop();
  });

  test("stopped: triggers do nothing, and a failing poll is reported, not thrown", async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const s = new PollScheduler(
      () => Promise.reject(new Error("boom")),
      1000,
      (e) => errors.push(e),
    );
    s.trigger();
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toEqual([]);
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveLength(2);
    await s.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(errors).toHaveLength(2);
  });
});
