import type { CallToolResult } from '@modelcontextprotocol/server';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ForwardedCall } from './forward-call.js';
import { MemoryOwnership } from './memory-ownership.js';
import { type Replica, ReplicaDirectory } from './replica-directory.js';
import { type AffineCall, SessionAffinity } from './session-affinity.js';

const logger = pino({ level: 'silent' });
const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

function harness(options: { alive?: string[]; forward?: (replica: Replica) => CallToolResult }) {
  const ownership = new MemoryOwnership(60_000);
  const forwarded: { replica: Replica; call: ForwardedCall }[] = [];
  const listed = (options.alive ?? []).map((id) => ({
    id,
    name: 'counter',
    status: 'healthy',
    endpoint: `http://${id}`,
  }));
  const affinity = new SessionAffinity({
    selfId: 'me',
    ownership,
    directory: new ReplicaDirectory('counter', 'me', async () => listed),
    forward: async (replica, call) => {
      forwarded.push({ replica, call });
      if (!options.forward) throw refused;
      return options.forward(replica);
    },
    unreachable: (error) => (error as { code?: string }).code === 'ECONNREFUSED',
    authToken: 'secret',
    ttlMs: 60_000,
    logger,
  });
  return { affinity, ownership, forwarded };
}

function call(overrides: Partial<AffineCall> = {}): AffineCall {
  return {
    tool: 'increment',
    args: { session_id: 's', by: 1 },
    session: 's',
    forwardedBy: undefined,
    scope: { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } },
    signal: new AbortController().signal,
    timeoutMs: 5_000,
    ...overrides,
  };
}

const here = async (): Promise<CallToolResult> => ({ content: [{ type: 'text', text: 'here' }] });

describe('SessionAffinity', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(() => close?.());

  it('claims an unowned session, runs it here and names this replica in _meta', async () => {
    const { affinity, forwarded } = harness({});
    close = () => affinity.close();
    const result = await affinity.serve(call(), here);
    expect(result._meta).toEqual({ 'io.mcp-mesh/replica': 'me' });
    expect(forwarded).toEqual([]);
    expect(affinity.statistics()).toMatchObject({
      backend: 'memory',
      sessions_owned: 1,
      forwards: 0,
    });
  });

  it("forwards a call to the session's owner with the session, deadline, trace and auth", async () => {
    const { affinity, ownership, forwarded } = harness({
      alive: ['other'],
      forward: () => ({ content: [], _meta: { 'io.mcp-mesh/replica': 'other' } }),
    });
    close = () => affinity.close();
    await ownership.claim('s', 'other');
    const result = await affinity.serve(
      call({ scope: { headers: {}, deadline: Date.now() + 2_000 } }),
      here,
    );
    expect(result._meta).toEqual({ 'io.mcp-mesh/replica': 'other' });
    expect(forwarded).toHaveLength(1);
    const sent = forwarded[0]!;
    expect(sent.replica).toEqual({ agentId: 'other', endpoint: 'http://other' });
    expect(sent.call.headers).toMatchObject({
      'x-session-id': 's',
      'x-mesh-forwarded-by': 'me',
      authorization: 'Bearer secret',
    });
    expect(Number(sent.call.headers['x-mesh-timeout-ms'])).toBeGreaterThan(1_000);
    expect(sent.call.timeoutMs).toBeLessThanOrEqual(2_000);
    expect(affinity.statistics()).toMatchObject({ forwards: 1, reclaims: 0, sessions_owned: 0 });
  });

  it("relays the caller's own authorization (its caller token) rather than the shared token", async () => {
    const { affinity, ownership, forwarded } = harness({
      alive: ['other'],
      forward: () => ({ content: [], _meta: { 'io.mcp-mesh/replica': 'other' } }),
    });
    close = () => affinity.close();
    await ownership.claim('s', 'other');
    await affinity.serve(call({ authorization: 'Bearer caller-token' }), here);
    expect(forwarded[0]?.call.headers.authorization).toBe('Bearer caller-token');
  });

  it('takes a session over when its owner is not a healthy registered replica', async () => {
    const { affinity, ownership, forwarded } = harness({ alive: [] });
    close = () => affinity.close();
    await ownership.claim('s', 'gone');
    const result = await affinity.serve(call(), here);
    expect(result._meta).toEqual({ 'io.mcp-mesh/replica': 'me' });
    expect(forwarded).toEqual([]);
    expect(await ownership.claim('s', 'someone')).toBe('me');
    expect(affinity.statistics()).toMatchObject({ reclaims: 1 });
  });

  it('takes a session over when its listed owner refuses connections', async () => {
    const { affinity, ownership, forwarded } = harness({ alive: ['crashed'] });
    close = () => affinity.close();
    await ownership.claim('s', 'crashed');
    const result = await affinity.serve(call(), here);
    expect(forwarded).toHaveLength(1);
    expect(result._meta).toEqual({ 'io.mcp-mesh/replica': 'me' });
    expect(affinity.statistics()).toMatchObject({ forwards: 0, reclaims: 1 });
  });

  it('passes on a forward failure that is not a dead owner, without taking over', async () => {
    const { affinity, ownership } = harness({
      alive: ['other'],
      forward: () => {
        throw new Error('the owner answered garbage');
      },
    });
    close = () => affinity.close();
    await ownership.claim('s', 'other');
    await expect(affinity.serve(call(), here)).rejects.toThrow('garbage');
    expect(await ownership.claim('s', 'me')).toBe('other');
  });

  it('runs a forwarded call here whoever owns the session: one hop at most', async () => {
    const { affinity, ownership, forwarded } = harness({ alive: ['other'] });
    close = () => affinity.close();
    await ownership.claim('s', 'other');
    const result = await affinity.serve(call({ forwardedBy: 'third' }), here);
    expect(forwarded).toEqual([]);
    expect(result._meta).toEqual({ 'io.mcp-mesh/replica': 'me' });
  });

  it('trusts its own confirmed claim for a moment, then asks the store again', async () => {
    const { affinity, ownership } = harness({
      alive: ['other'],
      forward: () => ({ content: [], _meta: { 'io.mcp-mesh/replica': 'other' } }),
    });
    close = () => affinity.close();
    let claims = 0;
    const claim = ownership.claim.bind(ownership);
    ownership.claim = (session, candidate) => {
      claims++;
      return claim(session, candidate);
    };
    await affinity.serve(call(), here);
    await affinity.serve(call(), here);
    await affinity.serve(call(), here);
    expect(claims).toBe(1);

    // Another replica took the session over (this one looked gone): noticed once the moment passes.
    await ownership.takeOver('s', 'me', 'other');
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    const result = await affinity.serve(call(), here);
    expect(result._meta).toEqual({ 'io.mcp-mesh/replica': 'other' });
    expect(claims).toBe(2);
    expect(affinity.statistics()).toMatchObject({ sessions_owned: 0, forwards: 1 });
  });
});
