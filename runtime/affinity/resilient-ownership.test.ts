import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OwnRedis } from '../../test/e2e/support/redis-server.js';
import { ResilientOwnership } from './resilient-ownership.js';

const logger = pino({ level: 'silent' });
const prefix = `mcp-mesh-test:${randomBytes(4).toString('hex')}:`;

async function until(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ResilientOwnership', () => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await OwnRedis.start();
  });
  afterAll(() => redis?.stop());

  it('keeps answering through a Redis outage, from memory, and goes back to Redis', async () => {
    const ownership = await ResilientOwnership.open({
      redisUrl: redis.url,
      keyPrefix: prefix,
      ttlMs: 60_000,
      logger,
    });
    try {
      expect(ownership.backend).toBe('redis');
      expect(await ownership.claim('s', 'a')).toBe('a');

      await redis.stop();
      await until('the fallback to memory', () => ownership.backend === 'memory');
      expect(await ownership.claim('during-outage', 'a')).toBe('a');
      expect(await ownership.claim('during-outage', 'b')).toBe('a');
      expect(ownership.fallbacks).toBe(1);

      await redis.start();
      await until('the return to Redis', () => ownership.backend === 'redis');
      // The restarted Redis kept nothing: the first claimant owns the session again.
      expect(await ownership.claim('s', 'b')).toBe('b');
      expect(await ownership.claim('s', 'a')).toBe('b');
    } finally {
      await ownership.close();
    }
  });

  it('serves from memory when no Redis answers at start, and says so', async () => {
    const ownership = await ResilientOwnership.open({
      redisUrl: 'redis://127.0.0.1:1',
      keyPrefix: prefix,
      ttlMs: 60_000,
      logger,
      connectWaitMs: 200,
    });
    try {
      expect(ownership.backend).toBe('memory');
      expect(ownership.fallbacks).toBe(1);
      expect(await ownership.claim('s', 'a')).toBe('a');
    } finally {
      await ownership.close();
    }
  });

  it('without a Redis URL keeps ownership in memory for good', async () => {
    const ownership = await ResilientOwnership.open({
      redisUrl: undefined,
      keyPrefix: prefix,
      ttlMs: 60_000,
      logger,
    });
    expect(ownership.backend).toBe('memory');
    expect(await ownership.takeOver('s', 'x', 'a')).toBe('a');
    await ownership.close();
  });
});
