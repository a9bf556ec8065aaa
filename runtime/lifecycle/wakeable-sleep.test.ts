import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, WakeableSleep } from './wakeable-sleep.js';

describe('WakeableSleep', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function track(promise: Promise<void>): { readonly done: boolean } {
    const state = { done: false };
    void promise.then(() => {
      state.done = true;
    });
    return state;
  }

  it('sleeps the given time when nobody wakes it', async () => {
    const sleeper = new WakeableSleep();
    const sleeping = track(sleeper.sleep(1_000, new AbortController().signal));
    await vi.advanceTimersByTimeAsync(999);
    expect(sleeping.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(sleeping.done).toBe(true);
  });

  it('ends at once when woken while sleeping', async () => {
    const sleeper = new WakeableSleep();
    const sleeping = track(sleeper.sleep(60_000, new AbortController().signal));
    await vi.advanceTimersByTimeAsync(10);
    expect(sleeping.done).toBe(false);
    sleeper.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(sleeping.done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('remembers a wake before the sleep: the next sleep ends at once, the one after does not', async () => {
    const sleeper = new WakeableSleep();
    sleeper.wake();
    const first = track(sleeper.sleep(60_000, new AbortController().signal));
    await vi.advanceTimersByTimeAsync(0);
    expect(first.done).toBe(true);
    const second = track(sleeper.sleep(1_000, new AbortController().signal));
    await vi.advanceTimersByTimeAsync(500);
    expect(second.done).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(second.done).toBe(true);
  });

  it('several wakes before a sleep count once', async () => {
    const sleeper = new WakeableSleep();
    sleeper.wake();
    sleeper.wake();
    await sleeper.sleep(60_000, new AbortController().signal);
    const next = track(sleeper.sleep(1_000, new AbortController().signal));
    await vi.advanceTimersByTimeAsync(10);
    expect(next.done).toBe(false);
    await vi.advanceTimersByTimeAsync(990);
    expect(next.done).toBe(true);
  });

  it('ends when the signal aborts, and at once when it already has', async () => {
    const sleeper = new WakeableSleep();
    const controller = new AbortController();
    const sleeping = track(sleeper.sleep(60_000, controller.signal));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(sleeping.done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    const again = track(sleeper.sleep(60_000, controller.signal));
    await vi.advanceTimersByTimeAsync(0);
    expect(again.done).toBe(true);
  });

  it('a wake after a sleep ended is kept for the next one', async () => {
    const sleeper = new WakeableSleep();
    await Promise.all([
      sleeper.sleep(10, new AbortController().signal),
      vi.advanceTimersByTimeAsync(10),
    ]);
    sleeper.wake();
    const next = track(sleeper.sleep(60_000, new AbortController().signal));
    await vi.advanceTimersByTimeAsync(0);
    expect(next.done).toBe(true);
  });
});

describe('backoffDelay', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('stays within [0, min(cap, base · 2^attempt))', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(30_000, 1_000 * 2 ** attempt);
      for (let sample = 0; sample < 50; sample++) {
        const delay = backoffDelay(attempt);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('grows from the base, doubling, up to the cap (full jitter scales it)', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000,
    ]);
    expect(backoffDelay(2, 100, 250)).toBe(125);
  });

  it('never exceeds the cap, even for absurd attempt counts', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    expect(backoffDelay(10_000)).toBeLessThan(30_000);
    expect(backoffDelay(10_000)).toBeGreaterThan(29_000);
  });
});
