import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OwnRedis } from '../support/redis-server.js';
import { CounterMesh, countOf, steadyLoad, until } from './counter-mesh.js';

// Redis stopped and started under load: a Redis of the test's own on a spare port, never the
// machine's. Replicas fall back to in-memory ownership, keep serving, and go back to Redis.
describe('counter replicas: Redis stopped and started mid-run', () => {
  let redis: OwnRedis;
  let mesh: CounterMesh;
  const replicaIds = ['counter-a', 'counter-b', 'counter-c'];
  let tally: Client;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    mesh = new CounterMesh(redis.url);
    await mesh.start(replicaIds);
    tally = await mesh.client('tally-1');
  }, 120_000);

  afterAll(async () => {
    await mesh?.stop();
    await redis?.stop();
  }, 30_000);

  const backends = async () =>
    (await Promise.all(replicaIds.map((id) => mesh.statistics(id)))).map(
      (statistics) => statistics.backend,
    );

  it('loses no call while Redis is gone, and every replica returns to Redis', async () => {
    const sessions = Array.from({ length: 20 }, (_, index) => `outage-${index}`);
    let running = true;
    const load = steadyLoad(
      4,
      () => running,
      async (worker, round) => {
        await countOf(tally, 'add', sessions[(worker * 5 + round) % sessions.length]!, 1);
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await backends()).toEqual(['redis', 'redis', 'redis']);

    await redis.stop();
    await until('every replica to serve from memory', async () =>
      (await backends()).every((backend) => backend === 'memory') ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await redis.start();
    await until('every replica back on Redis', async () =>
      (await backends()).every((backend) => backend === 'redis') ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    running = false;
    const { calls, failures } = await load;

    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(50);
    for (const id of replicaIds)
      expect((await mesh.statistics(id)).fallbacks_to_memory).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
