/**
 * A sleep that ends early when woken or aborted: the heartbeat loop waits its interval, but a
 * topology event from the watch stream wakes it at once.
 */
export class WakeableSleep {
  private wakeCurrent: (() => void) | undefined;
  private pendingWake = false;

  /** Sleeps `milliseconds`, or less if `wake()` is called or the signal aborts. */
  sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
    if (this.pendingWake || signal.aborted) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        this.wakeCurrent = undefined;
        resolve();
      };
      const timer = setTimeout(finish, milliseconds);
      signal.addEventListener('abort', finish, { once: true });
      this.wakeCurrent = finish;
    });
  }

  /** Ends the current sleep, or the next one if nobody sleeps now. */
  wake(): void {
    if (this.wakeCurrent) this.wakeCurrent();
    else this.pendingWake = true;
  }
}

/** Exponential backoff with full jitter: a random delay up to min(cap, base · 2^attempt). */
export function backoffDelay(attempt: number, baseMs = 1_000, capMs = 30_000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}
