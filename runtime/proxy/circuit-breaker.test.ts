import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('stays closed below the threshold, and a success resets the count', () => {
    const breaker = new CircuitBreaker(3, 1_000);
    breaker.failed(0);
    breaker.failed(0);
    expect(breaker.tryAcquire(0)).toBe(true);
    breaker.succeeded();
    breaker.failed(0);
    breaker.failed(0);
    expect(breaker.isAvailable(0)).toBe(true);
    expect(breaker.tryAcquire(0)).toBe(true);
  });

  it('opens after N consecutive failures and lets nothing through during the cool-down', () => {
    const breaker = new CircuitBreaker(3, 1_000);
    for (let failure = 0; failure < 3; failure++) breaker.failed(100);
    expect(breaker.isAvailable(100)).toBe(false);
    expect(breaker.tryAcquire(100)).toBe(false);
    expect(breaker.tryAcquire(1_099)).toBe(false);
  });

  it('opens after 5 failures by default', () => {
    const breaker = new CircuitBreaker();
    for (let failure = 0; failure < 4; failure++) breaker.failed(0);
    expect(breaker.tryAcquire(0)).toBe(true);
    breaker.failed(0);
    expect(breaker.tryAcquire(0)).toBe(false);
    expect(breaker.tryAcquire(4_999)).toBe(false);
    expect(breaker.isAvailable(5_000)).toBe(true);
  });

  it('half-open after the cool-down: exactly one probe goes through', () => {
    const breaker = new CircuitBreaker(2, 1_000);
    breaker.failed(0);
    breaker.failed(0);
    expect(breaker.isAvailable(1_000)).toBe(true);
    expect(breaker.tryAcquire(1_000)).toBe(true);
    // The probe is out: nobody else, however late.
    expect(breaker.isAvailable(1_001)).toBe(false);
    expect(breaker.tryAcquire(1_001)).toBe(false);
    expect(breaker.tryAcquire(60_000)).toBe(false);
  });

  it('closes when the probe succeeds', () => {
    const breaker = new CircuitBreaker(2, 1_000);
    breaker.failed(0);
    breaker.failed(0);
    expect(breaker.tryAcquire(1_000)).toBe(true);
    breaker.succeeded();
    expect(breaker.tryAcquire(1_001)).toBe(true);
    expect(breaker.tryAcquire(1_002)).toBe(true);
    // Closed means counting from zero again.
    breaker.failed(1_003);
    expect(breaker.tryAcquire(1_003)).toBe(true);
  });

  it('re-opens for another cool-down when the probe fails', () => {
    const breaker = new CircuitBreaker(2, 1_000);
    breaker.failed(0);
    breaker.failed(0);
    expect(breaker.tryAcquire(1_000)).toBe(true);
    breaker.failed(1_500);
    expect(breaker.tryAcquire(1_500)).toBe(false);
    expect(breaker.tryAcquire(2_499)).toBe(false);
    expect(breaker.tryAcquire(2_500)).toBe(true);
  });

  it('names its state: closed, open, half-open while the probe is out', () => {
    const breaker = new CircuitBreaker(2, 1_000);
    expect(breaker.state).toBe('closed');
    breaker.failed(0);
    expect(breaker.state).toBe('closed');
    breaker.failed(0);
    expect(breaker.state).toBe('open');
    breaker.tryAcquire(1_000);
    expect(breaker.state).toBe('half-open');
    breaker.succeeded();
    expect(breaker.state).toBe('closed');
  });

  it('a released probe (its caller cancelled) changes nothing: still open, the next caller probes', () => {
    const breaker = new CircuitBreaker(2, 1_000);
    breaker.failed(0);
    breaker.failed(0);
    expect(breaker.tryAcquire(1_000)).toBe(true);
    breaker.released();
    expect(breaker.state).toBe('open');
    // The slot is free again, and the cool-down is not restarted.
    expect(breaker.tryAcquire(1_001)).toBe(true);
    // That probe fails: open at once, not after another `threshold` failures.
    breaker.failed(1_002);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire(1_003)).toBe(false);
  });

  it('a released call while closed neither resets nor adds to the consecutive failures', () => {
    const breaker = new CircuitBreaker(2, 1_000);
    breaker.failed(0);
    expect(breaker.tryAcquire(0)).toBe(true);
    breaker.released();
    breaker.failed(0);
    expect(breaker.state).toBe('open');
  });
});
