import type { Redis } from 'ioredis';
import type { SessionOwnership } from './session-ownership.js';

// Both scripts run atomically inside Redis: the read and the write of one claim cannot
// interleave with another replica's.
const claimScript = `
local owner = redis.call('GET', KEYS[1])
if not owner then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
if owner == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return owner`;

const takeOverScript = `
local owner = redis.call('GET', KEYS[1])
if (not owner) or owner == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return ARGV[2]
end
return owner`;

type OwnershipCommands = Redis & {
  meshClaimSession(key: string, candidate: string, ttlMs: number): Promise<string>;
  meshTakeOverSession(
    key: string,
    formerOwner: string,
    candidate: string,
    ttlMs: number,
  ): Promise<string>;
};

/**
 * Session ownership in Redis, shared by every replica: one key per session
 * (`{prefix}session:{agent}:{session}`) holding the owner's agent id, with a TTL refreshed on use.
 */
export class RedisOwnership implements SessionOwnership {
  readonly backend = 'redis';
  private readonly redis: OwnershipCommands;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {
    redis.defineCommand('meshClaimSession', { numberOfKeys: 1, lua: claimScript });
    redis.defineCommand('meshTakeOverSession', { numberOfKeys: 1, lua: takeOverScript });
    this.redis = redis as OwnershipCommands;
  }

  claim(session: string, candidate: string): Promise<string> {
    return this.redis.meshClaimSession(this.keyPrefix + session, candidate, this.ttlMs);
  }

  takeOver(session: string, formerOwner: string, candidate: string): Promise<string> {
    return this.redis.meshTakeOverSession(
      this.keyPrefix + session,
      formerOwner,
      candidate,
      this.ttlMs,
    );
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
