import type { SessionOwnership } from './session-ownership.js';

interface Claim {
  owner: string;
  expiresAt: number;
}

/**
 * Session ownership in this process only: what a replica uses without Redis, or while Redis is
 * unreachable. Replicas do not see each other's claims, so affinity then rests on callers being
 * sticky.
 */
export class MemoryOwnership implements SessionOwnership {
  readonly backend = 'memory';
  private readonly claims = new Map<string, Claim>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    // Expired claims are dropped lazily on access; the sweep bounds memory for sessions that
    // are never seen again.
    this.sweeper = setInterval(() => this.sweep(), Math.min(ttlMs, 60_000));
    this.sweeper.unref();
  }

  async claim(session: string, candidate: string): Promise<string> {
    const claim = this.live(session);
    if (claim && claim.owner !== candidate) return claim.owner;
    this.claims.set(session, { owner: candidate, expiresAt: this.now() + this.ttlMs });
    return candidate;
  }

  async takeOver(session: string, formerOwner: string, candidate: string): Promise<string> {
    const claim = this.live(session);
    if (claim && claim.owner !== formerOwner) return claim.owner;
    this.claims.set(session, { owner: candidate, expiresAt: this.now() + this.ttlMs });
    return candidate;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.claims.clear();
  }

  private live(session: string): Claim | undefined {
    const claim = this.claims.get(session);
    if (claim && claim.expiresAt <= this.now()) {
      this.claims.delete(session);
      return undefined;
    }
    return claim;
  }

  private sweep(): void {
    const now = this.now();
    for (const [session, claim] of this.claims)
      if (claim.expiresAt <= now) this.claims.delete(session);
  }
}
