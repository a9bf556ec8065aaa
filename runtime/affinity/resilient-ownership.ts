import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { MemoryOwnership } from './memory-ownership.js';
import { RedisOwnership } from './redis-ownership.js';
import type { OwnershipBackend, SessionOwnership } from './session-ownership.js';

/** Where and how long sessions are owned. */
export interface ResilientOwnershipOptions {
  /** `redis://…`; undefined keeps ownership in memory for good. */
  readonly redisUrl: string | undefined;
  /** Prefix of every key, e.g. `mcp-mesh:session:counter:`. */
  readonly keyPrefix: string;
  readonly ttlMs: number;
  readonly logger: Logger;
  /** How long start-up waits for a first connection before serving from memory. */
  readonly connectWaitMs?: number;
}

// A hung Redis must cost a call at most this much before it is served from memory. Not less:
// a replica whose event loop was busy that long would find a reply waiting and still time out
// (timers run before I/O), and a claim answered from memory by mistake splits a session.
const commandTimeoutMs = 2_000;

/**
 * Session ownership in Redis while Redis answers, in memory while it does not: a replica keeps
 * serving through a Redis outage (affinity then rests on callers being sticky), says so in its
 * log, and goes back to Redis as soon as the connection is ready again.
 */
export class ResilientOwnership implements SessionOwnership {
  private readonly memory: MemoryOwnership;
  private readonly client: Redis | undefined;
  private readonly redis: RedisOwnership | undefined;
  private redisReady = false;
  private closed = false;
  private fallbackCount = 0;

  private constructor(private readonly options: ResilientOwnershipOptions) {
    this.memory = new MemoryOwnership(options.ttlMs);
    if (options.redisUrl === undefined) return;
    this.client = new Redis(options.redisUrl, {
      lazyConnect: true,
      // Fail at once while disconnected instead of queueing: memory answers in the meantime.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: commandTimeoutMs,
      connectTimeout: 1_000,
      retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 6), 2_000),
    });
    this.redis = new RedisOwnership(this.client, options.keyPrefix, options.ttlMs);
    this.client.on('ready', () => this.redisIsReady());
    this.client.on('close', () => this.redisIsGone('connection closed'));
    // Without a listener an `error` event would crash the process; reconnection is automatic.
    this.client.on('error', (error: Error) => this.redisIsGone(error.message));
  }

  /** Connects (bounded by `connectWaitMs`, default 1 s); never fails: memory is the fallback. */
  static async open(options: ResilientOwnershipOptions): Promise<ResilientOwnership> {
    const ownership = new ResilientOwnership(options);
    const client = ownership.client;
    if (!client) {
      options.logger.info('session ownership in memory: no Redis configured');
      return ownership;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off('ready', done);
        client.off('error', done);
        resolve();
      };
      const timer = setTimeout(done, options.connectWaitMs ?? 1_000);
      client.once('ready', done);
      client.once('error', done);
      client.connect().catch(done);
    });
    if (!ownership.redisReady) ownership.redisIsGone('no connection at start');
    return ownership;
  }

  /** Times ownership moved from Redis to memory. */
  get fallbacks(): number {
    return this.fallbackCount;
  }

  get backend(): OwnershipBackend {
    return this.redisReady ? 'redis' : 'memory';
  }

  claim(session: string, candidate: string): Promise<string> {
    return this.use((ownership) => ownership.claim(session, candidate));
  }

  takeOver(session: string, formerOwner: string, candidate: string): Promise<string> {
    return this.use((ownership) => ownership.takeOver(session, formerOwner, candidate));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.client?.disconnect();
    await this.memory.close();
  }

  private async use(operation: (ownership: SessionOwnership) => Promise<string>): Promise<string> {
    if (this.redis && this.redisReady) {
      try {
        return await operation(this.redis);
      } catch (error) {
        // A command that failed on a live connection (timeout, script error) is answered from
        // memory this once; a lost connection moves everything to memory until it is back.
        this.options.logger.warn(
          { err: error },
          'session ownership: Redis command failed, answered from memory',
        );
      }
    }
    return operation(this.memory);
  }

  private redisIsReady(): void {
    if (this.redisReady) return;
    this.redisReady = true;
    this.options.logger.info('session ownership on Redis');
  }

  private redisIsGone(reason: string): void {
    if (!this.redisReady && this.fallbackCount > 0) return;
    if (this.closed) return;
    this.redisReady = false;
    this.fallbackCount++;
    this.options.logger.warn(
      { reason },
      'session ownership in memory: Redis unreachable; back to Redis when it returns',
    );
  }
}
