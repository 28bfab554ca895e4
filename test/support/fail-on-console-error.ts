// A test that logs console.error without expecting it fails: errors are never silent.
import { afterEach, beforeEach, vi } from "vitest";

let spy: { mock: { calls: unknown[][] }; mockRestore: () => void } | undefined;
let allowed = false;

/** Call inside a test that expects the code under test to log an error. */
export function allowConsoleError(): void {
  allowed = true;
}

beforeEach(() => {
  allowed = false;
  spy = vi.spyOn(console, "error");
});

afterEach(() => {
  const calls = spy?.mock.calls ?? [];
  spy?.mockRestore();
  if (!allowed && calls.length > 0) {
    throw new Error(
      `console.error was called:\n${calls.map((c: unknown[]) => c.map(String).join(" ")).join("\n")}`,
    );
  }
});
