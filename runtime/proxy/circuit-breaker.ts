/** The circuit of a provider endpoint; `all()` lists every circuit made so far (for metrics). */
export type BreakerLookup = ((endpoint: string) => CircuitBreaker) & {
  all(): Iterable<readonly [string, CircuitBreaker]>;
};

/** One circuit per provider endpoint, created on first use: what proxies of one agent share. */
export function breakerPerEndpoint(): BreakerLookup {
  const breakers = new Map<string, CircuitBreaker>();
  const lookup = (endpoint: string) => {
    let breaker = breakers.get(endpoint);
    if (!breaker) {
      breaker = new CircuitBreaker();
      breakers.set(endpoint, breaker);
    }
    return breaker;
  };
  return Object.assign(lookup, { all: () => breakers.entries() });
}

/** `half-open`: the one probe call after the cool-down is out. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * One provider's circuit: closed while calls succeed; open after `threshold` consecutive
 * failures, so a dead provider costs nothing; after `coolDownMs` one probe call is let through
 * (half-open) and its outcome closes or re-opens the circuit. A call that ends without an
 * outcome (its caller cancelled it) is `released()`: it says nothing about the provider.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probing = false;

  constructor(
    private readonly threshold = 5,
    private readonly coolDownMs = 5_000,
  ) {}

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.probing ? 'half-open' : 'open';
  }

  /** Whether a call may go to this provider now (taking the probe slot when half-open). */
  tryAcquire(now: number = Date.now()): boolean {
    if (this.openedAt === undefined) return true;
    if (this.probing || now - this.openedAt < this.coolDownMs) return false;
    this.probing = true;
    return true;
  }

  /** Whether a call could go now, without taking the probe slot. */
  isAvailable(now: number = Date.now()): boolean {
    return this.openedAt === undefined || (!this.probing && now - this.openedAt >= this.coolDownMs);
  }

  succeeded(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.probing = false;
  }

  /**
   * Ends a call that has no outcome (cancelled by its caller): a probe frees its slot for the
   * next caller, the circuit stays as it was and the cool-down is not restarted.
   */
  released(): void {
    this.probing = false;
  }

  failed(now: number = Date.now()): void {
    this.failures++;
    if (this.probing || this.failures >= this.threshold) this.openedAt = now;
    this.probing = false;
  }
}
