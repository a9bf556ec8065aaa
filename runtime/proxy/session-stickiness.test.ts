import { describe, expect, it } from 'vitest';
import { rendezvousPick, SessionStickiness } from './session-stickiness.js';

const replicas = ['counter-a', 'counter-b', 'counter-c'].map((agentId) => ({ agentId }));

describe('SessionStickiness', () => {
  it('learns the owner from a result _meta and forgets it on demand', () => {
    const stickiness = new SessionStickiness();
    stickiness.learn('s', { content: [], _meta: { 'io.mcp-mesh/replica': 'counter-b' } });
    expect(stickiness.ownerOf('s')).toBe('counter-b');
    stickiness.learn('s', { content: [] });
    expect(stickiness.ownerOf('s')).toBe('counter-b');
    stickiness.forget('s');
    expect(stickiness.ownerOf('s')).toBeUndefined();
  });

  it('remembers a bounded number of sessions, forgetting the least recently learned', () => {
    const stickiness = new SessionStickiness();
    const owner = { _meta: { 'io.mcp-mesh/replica': 'counter-a' } };
    for (let session = 0; session <= 10_000; session++) stickiness.learn(`s${session}`, owner);
    expect(stickiness.ownerOf('s0')).toBeUndefined();
    expect(stickiness.ownerOf('s1')).toBe('counter-a');
    expect(stickiness.ownerOf('s10000')).toBe('counter-a');
  });
});

describe('rendezvousPick', () => {
  it('puts a session on the same replica every time, and spreads sessions over all', () => {
    const chosen = new Map<string, string>();
    for (let session = 0; session < 300; session++)
      chosen.set(`s${session}`, rendezvousPick(`s${session}`, replicas)!.agentId);
    for (const [session, agentId] of chosen)
      expect(rendezvousPick(session, [...replicas].reverse())!.agentId).toBe(agentId);
    const counts = [...chosen.values()].reduce(
      (tally, agentId) => tally.set(agentId, (tally.get(agentId) ?? 0) + 1),
      new Map<string, number>(),
    );
    for (const replica of replicas) expect(counts.get(replica.agentId)).toBeGreaterThan(60);
  });

  it("moves only the removed replica's sessions when one goes away", () => {
    const survivors = replicas.filter((replica) => replica.agentId !== 'counter-b');
    for (let session = 0; session < 300; session++) {
      const before = rendezvousPick(`s${session}`, replicas)!.agentId;
      const after = rendezvousPick(`s${session}`, survivors)!.agentId;
      if (before !== 'counter-b') expect(after).toBe(before);
    }
    expect(rendezvousPick('s', [])).toBeUndefined();
  });
});
