import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientPool } from '../../../runtime/hosting/test-clients.fixture.js';
import { type Count, CounterMesh, countOf } from './counter-mesh.js';

// The predecessor's acceptance for session affinity, on the machine's Redis (a key prefix of
// this run's own): three counter replicas, a session's calls sent to any of them.
describe('counter replicas: session affinity through Redis', () => {
  const mesh = new CounterMesh(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const replicaIds = ['counter-a', 'counter-b', 'counter-c'];
  const replicas: Client[] = [];
  let tally: Client;

  beforeAll(async () => {
    await mesh.start(replicaIds);
    for (const id of replicaIds) replicas.push(await mesh.client(id));
    tally = await mesh.client('tally-1');
  }, 120_000);

  afterAll(() => mesh.stop(), 30_000);

  const perCall = clientPool();
  afterEach(() => perCall.closeAll());

  it('accumulates one session on one replica wherever its calls land (1 then 5 → 6)', async () => {
    const first = await countOf(replicas[0]!, 'increment', 'acceptance', 1);
    const second = await countOf(replicas[1]!, 'increment', 'acceptance', 5);
    const third = await countOf(replicas[2]!, 'increment', 'acceptance', 10);
    expect(first.count).toBe(1);
    expect(second).toEqual({ count: 6, replica: first.replica });
    expect(third).toEqual({ count: 16, replica: first.replica });
    expect(first.replica).toBe('counter-a');
  });

  it('200 calls in parallel over 20 sessions, each to a random replica: all succeed, each session on one replica', async () => {
    const sessions = Array.from({ length: 20 }, (_, index) => `parallel-${index}`);
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, call) => {
        const session = sessions[call % sessions.length]!;
        const replica = replicas[Math.floor(Math.random() * replicas.length)]!;
        return { session, answer: await countOf(replica, 'increment', session, 1) };
      }),
    );
    for (const session of sessions) {
      const mine = answers
        .filter((entry) => entry.session === session)
        .map((entry) => entry.answer);
      expect(new Set(mine.map((answer) => answer.replica)).size).toBe(1);
      // Ten increments by 1 on one replica: the counts are exactly 1 to 10.
      expect(mine.map((answer) => answer.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 10 }, (_, index) => index + 1),
      );
    }
    const statistics = await Promise.all(replicaIds.map((id) => mesh.statistics(id)));
    expect(statistics.every((entry) => entry.backend === 'redis')).toBe(true);
    expect(statistics.reduce((sum, entry) => sum + entry.forwards, 0)).toBeGreaterThan(0);
    expect(statistics.reduce((sum, entry) => sum + entry.sessions_owned, 0)).toBe(21);
  });

  it('a session-affine proxy sends each session straight to its owner: no forwards', async () => {
    const before = await Promise.all(replicaIds.map((id) => mesh.statistics(id)));
    const sessions = Array.from({ length: 20 }, (_, index) => `through-tally-${index}`);
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, call) => {
        const session = sessions[call % sessions.length]!;
        return { session, answer: await countOf(tally, 'add', session, 2) };
      }),
    );
    const owners = new Set<string>();
    for (const session of sessions) {
      const mine = answers
        .filter((entry) => entry.session === session)
        .map((entry) => entry.answer);
      expect(new Set(mine.map((answer) => answer.replica)).size).toBe(1);
      expect(Math.max(...mine.map((answer) => answer.count))).toBe(20);
      owners.add(mine[0]!.replica);
    }
    // Sessions spread over the replicas, and none needed a forward.
    expect(owners.size).toBeGreaterThan(1);
    const after = await Promise.all(replicaIds.map((id) => mesh.statistics(id)));
    expect(after.map((entry) => entry.forwards)).toEqual(before.map((entry) => entry.forwards));
  });

  // An ordinary MCP client opens one connection per call: in the 2025-11-25 era each has an MCP
  // session of its own, which must not outweigh the session the call names in its arguments.
  it.each([
    ['the 2025-11-25 era (SDK v2)', 'legacy'],
    ['the 2026-07-28 era (SDK v2)', 'auto'],
    ['the 2025-11-25 era (SDK v1)', 'v1'],
  ] as const)(
    'keeps a session_id on one replica with a new connection per call, in %s',
    async (_, era) => {
      const session = `per-connection-${era}`;
      const callOnce = async (replica: string, by: number): Promise<Count> => {
        const endpoint = await mesh.endpointOf(replica);
        const { client } =
          era === 'v1' ? await perCall.v1(endpoint) : await perCall.v2(endpoint, era);
        const result = await client.callTool({
          name: 'increment',
          arguments: { session_id: session, by },
        });
        await perCall.closeAll();
        if (result.isError) throw new Error(`increment failed: ${JSON.stringify(result.content)}`);
        return result.structuredContent as unknown as Count;
      };
      const first = await callOnce('counter-a', 1);
      const second = await callOnce('counter-b', 5);
      const third = await callOnce('counter-c', 10);
      expect(first).toEqual({ count: 1, replica: 'counter-a' });
      expect(second).toEqual({ count: 6, replica: 'counter-a' });
      expect(third).toEqual({ count: 16, replica: 'counter-a' });
    },
  );
});
