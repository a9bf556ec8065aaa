import { describe, expect, it } from 'vitest';
import type { ListedAgent } from '../lifecycle/registry-client.js';
import { ReplicaDirectory } from './replica-directory.js';

const agent = (id: string, name = 'counter'): ListedAgent => ({
  id,
  name,
  status: 'healthy',
  endpoint: `http://${id}:1`,
});

describe('ReplicaDirectory', () => {
  it('knows only other replicas of the same agent', async () => {
    const directory = new ReplicaDirectory('counter', 'me', async () => [
      agent('me'),
      agent('twin'),
      agent('stranger', 'tally'),
    ]);
    expect(await directory.find('twin')).toEqual({ agentId: 'twin', endpoint: 'http://twin:1' });
    expect(await directory.find('stranger')).toBeUndefined();
    expect(await directory.find('me')).toBeUndefined();
  });

  it('answers from a fresh listing, and asks again on a miss at most every 200 ms', async () => {
    let now = 0;
    let listings = 0;
    let agents = [agent('a')];
    const directory = new ReplicaDirectory(
      'counter',
      'me',
      async () => {
        listings++;
        return agents;
      },
      () => now,
    );
    await directory.find('a');
    await directory.find('a');
    expect(listings).toBe(1);
    agents = [agent('a'), agent('b')];
    expect(await directory.find('b')).toBeUndefined(); // too soon to ask again
    now = 250;
    expect(await directory.find('b')).toBeDefined();
    expect(listings).toBe(2);
    now = 1_300;
    agents = [agent('b')];
    expect(await directory.find('a')).toBeUndefined(); // stale: listed again
    expect(listings).toBe(3);
  });

  it('keeps the last listing while the registry is unreachable', async () => {
    let now = 0;
    let fail = false;
    const directory = new ReplicaDirectory(
      'counter',
      'me',
      async () => {
        if (fail) throw new Error('registry down');
        return [agent('a')];
      },
      () => now,
    );
    await directory.find('a');
    fail = true;
    now = 5_000;
    expect(await directory.find('a')).toEqual({ agentId: 'a', endpoint: 'http://a:1' });
  });

  it('shares one listing request between lookups made together', async () => {
    let listings = 0;
    const directory = new ReplicaDirectory('counter', 'me', async () => {
      listings++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return [agent('a')];
    });
    await Promise.all([directory.find('a'), directory.find('a'), directory.find('b')]);
    expect(listings).toBe(1);
  });
});
