import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisOwnership } from './redis-ownership.js';

// The machine's Redis, under a key prefix of this run's own, removed afterwards.
const prefix = `mcp-mesh-test:${process.pid}:${randomBytes(4).toString('hex')}:`;

describe('RedisOwnership', () => {
  let redis: Redis;
  let ownership: RedisOwnership;

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    ownership = new RedisOwnership(redis, prefix, 5_000);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('gives each session to exactly one of many replicas racing for it', async () => {
    for (let session = 0; session < 20; session++) {
      const owners = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map((replica) => ownership.claim(`race-${session}`, replica)),
      );
      expect(new Set(owners).size).toBe(1);
      expect(await redis.get(`${prefix}race-${session}`)).toBe(owners[0]);
    }
  });

  it('refreshes the TTL when the owner uses the session, not when another replica asks', async () => {
    await ownership.claim('ttl', 'a');
    await redis.pexpire(`${prefix}ttl`, 1_000);
    await ownership.claim('ttl', 'b');
    expect(await redis.pttl(`${prefix}ttl`)).toBeLessThanOrEqual(1_000);
    await ownership.claim('ttl', 'a');
    expect(await redis.pttl(`${prefix}ttl`)).toBeGreaterThan(1_000);
  });

  it('lets exactly one replica take a session over from a dead owner', async () => {
    await ownership.claim('dead-owner', 'dead');
    const winners = await Promise.all(
      ['a', 'b', 'c'].map((replica) => ownership.takeOver('dead-owner', 'dead', replica)),
    );
    expect(new Set(winners).size).toBe(1);
    expect(winners[0]).not.toBe('dead');
    expect(await ownership.takeOver('dead-owner', 'dead', 'late')).toBe(winners[0]);
  });

  it('claims a session that expired or never existed', async () => {
    expect(await ownership.takeOver('never', 'gone', 'a')).toBe('a');
    expect(await redis.pttl(`${prefix}never`)).toBeGreaterThan(0);
  });
});
