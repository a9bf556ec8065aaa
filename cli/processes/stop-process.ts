/**
 * Stopping a process the way meshctl promises: SIGTERM (to its whole process group when it
 * leads one, so that whatever it spawned goes too), a wait, then SIGKILL after a timeout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive, isProcessGroupAlive } from './liveness.js';

export interface StopTarget {
  readonly pid: number;
  /** The process leads its own group (pgid = pid): signal the group. */
  readonly processGroup: boolean;
}

export interface StopOptions {
  /** How long it gets to exit after SIGTERM before SIGKILL. */
  readonly timeoutMs: number;
  /** How long to wait for it to vanish after SIGKILL. */
  readonly killWaitMs?: number;
  readonly pollMs?: number;
}

/** `stopped`: it exited after SIGTERM; `killed`: it needed SIGKILL; `not-running`: it was gone. */
export type StopOutcome = 'stopped' | 'killed' | 'not-running';

/** Stops a process (and its group); resolves once nothing of it runs, or throws if SIGKILL failed. */
export async function stopProcess(target: StopTarget, options: StopOptions): Promise<StopOutcome> {
  const running = () =>
    isProcessAlive(target.pid) || (target.processGroup && isProcessGroupAlive(target.pid));
  if (!running()) return 'not-running';
  const pollMs = options.pollMs ?? 50;
  signal(target, 'SIGTERM');
  if (await waitUntil(() => !running(), options.timeoutMs, pollMs)) return 'stopped';
  signal(target, 'SIGKILL');
  if (await waitUntil(() => !running(), options.killWaitMs ?? 5_000, pollMs)) return 'killed';
  throw new Error(`process ${target.pid} is still running after SIGKILL`);
}

/**
 * Sends `name` to the group when the target leads one, else to the process. Once only: agents
 * and the registry take the first SIGTERM as "stop gracefully" and a second one would end them
 * at once.
 */
export function signal(target: StopTarget, name: NodeJS.Signals): void {
  if (target.processGroup) {
    try {
      process.kill(-target.pid, name);
      return;
    } catch {
      // No such group (it never became one, or it is gone): the process itself below.
    }
  }
  try {
    process.kill(target.pid, name);
  } catch {
    // Already gone.
  }
}

async function waitUntil(done: () => boolean, timeoutMs: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())));
  }
}

/** How long a process gets between SIGTERM and SIGKILL unless told otherwise. */
export const defaultStopTimeoutMs = 15_000;
