/**
 * Per-test clean-up: everything a test starts (processes, servers, agents, temporary folders)
 * is handed to `defer`, and runs in reverse order after the test, whether it passed or not.
 */
import { afterEach } from 'vitest';

export interface Cleanup {
  /** Runs `task` after the current test (last deferred, first run); answers `value`. */
  defer<T>(value: T, task: (value: T) => unknown): T;
}

/** Inside a `describe` (or at file level): a clean-up stack emptied after every test. */
export function useCleanup(): Cleanup {
  const tasks: (() => unknown)[] = [];
  afterEach(async () => {
    const failures: unknown[] = [];
    for (const task of tasks.splice(0).reverse()) {
      try {
        await task();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, 'clean-up failed');
  });
  return {
    defer(value, task) {
      tasks.push(() => task(value));
      return value;
    },
  };
}
