import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CounterMesh, countOf, steadyLoad, until } from './counter-mesh.js';

interface Answer {
  readonly session: string;
  readonly replica: string;
  readonly at: number;
}

// Chaos: steady load through the tally agent's session-affine proxy while a counter replica is
// killed with SIGKILL (no goodbye: calls in flight are cut) and later started again.
describe('counter replicas: a replica killed mid-load', () => {
  const mesh = new CounterMesh(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const replicaIds = ['counter-a', 'counter-b', 'counter-c'];
  let tally: Client;

  beforeAll(async () => {
    await mesh.start(replicaIds);
    tally = await mesh.client('tally-1');
  }, 120_000);

  afterAll(() => mesh.stop(), 30_000);

  it('loses no call, and the dead replica’s sessions go on on a live one', async () => {
    const sessions = Array.from({ length: 30 }, (_, index) => `chaos-${index}`);
    const answers: Answer[] = [];
    let running = true;
    const load = steadyLoad(
      6,
      () => running,
      async (worker, round) => {
        const session = sessions[(worker * 7 + round) % sessions.length]!;
        const answer = await countOf(tally, 'add', session, 1);
        answers.push({ session, replica: answer.replica, at: Date.now() });
      },
    );
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    await until('calls on every replica', async () =>
      replicaIds.every((id) => answers.some((answer) => answer.replica === id)) ? true : undefined,
    );
    const killedAt = Date.now();
    await mesh.kill('counter-b');
    // The registry notices after 3 s of silence; calls must not wait for it.
    await pause(4_000);
    mesh.startReplica('counter-b');
    await mesh.tallySees(replicaIds);
    await pause(1_500);
    running = false;
    const { calls, failures } = await load;

    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(100);
    const onKilled = new Set(
      answers
        .filter((answer) => answer.at < killedAt && answer.replica === 'counter-b')
        .map((answer) => answer.session),
    );
    expect(onKilled.size).toBeGreaterThan(0);
    for (const session of onKilled) {
      const later = answers.filter((answer) => answer.session === session && answer.at > killedAt);
      expect(later.length).toBeGreaterThan(0);
      expect(later.some((answer) => answer.replica !== 'counter-b')).toBe(true);
    }
    const reclaims = (
      await Promise.all(['counter-a', 'counter-c'].map((id) => mesh.statistics(id)))
    ).reduce((sum, statistics) => sum + statistics.reclaims, 0);
    expect(reclaims).toBeGreaterThan(0);
  }, 120_000);
});
