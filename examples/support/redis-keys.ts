// Cleaning up after a demo, test or benchmark that wrote session ownership to Redis.
import { Redis } from 'ioredis';

/** Deletes every key under `prefix`; a Redis that does not answer had nothing written to it. */
export async function removeRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } catch {
    // Unreachable or gone (a Redis of a test's own): its keys went with it.
  } finally {
    redis.disconnect();
  }
}
