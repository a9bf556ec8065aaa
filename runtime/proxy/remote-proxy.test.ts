// The remote proxy's decisions, with fake MCP clients standing in for providers (the same
// behaviours against real agents are in test/e2e/runtime).
import { SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import type { StreamChunk } from '../agent/proxy.js';
import { runInCallScope } from '../context/call-scope.js';
import { MeshError } from '../errors/mesh-error.js';
import type { ToolKwargs } from '../metadata.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { McpConnections } from './mcp-connections.js';
import { currentOutboundCall } from './outbound-headers.js';
import type { ProviderTarget } from './provider-target.js';
import { type ProxyEnvironment, RemoteCapabilityProxy } from './remote-proxy.js';

interface SentCall {
  readonly endpoint: string;
  readonly name: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeout: number | undefined;
}

type Behaviour = (
  call: SentCall,
  options: {
    signal?: AbortSignal;
    onprogress?: (progress: { progress: number; total?: number; message?: string }) => void;
  },
) => Promise<unknown>;

/** Providers by endpoint, each answering with its behaviour; records every call. */
function fakeEnvironment(behaviours: Record<string, Behaviour>, authToken?: string) {
  const sent: SentCall[] = [];
  const breakers = new Map<string, CircuitBreaker>();
  const connections = {
    client: async (endpoint: string) => ({
      callTool: async (
        params: { name: string },
        options: { timeout?: number; signal?: AbortSignal; onprogress?: never },
      ) => {
        const call: SentCall = {
          endpoint,
          name: params.name,
          headers: currentOutboundCall()?.headers ?? {},
          timeout: options.timeout,
        };
        sent.push(call);
        const behaviour = behaviours[endpoint];
        if (!behaviour) throw new Error(`no provider at ${endpoint}`);
        return behaviour(call, options);
      },
    }),
    discard: () => {},
  } as unknown as McpConnections;
  const environment: ProxyEnvironment = {
    connections,
    breaker: (endpoint) => {
      let breaker = breakers.get(endpoint);
      if (!breaker) {
        breaker = new CircuitBreaker();
        breakers.set(endpoint, breaker);
      }
      return breaker;
    },
    ...(authToken === undefined ? {} : { authToken }),
  };
  return { environment, sent, breakers };
}

function target(name: string, kwargs: ToolKwargs = {}): ProviderTarget {
  return { agentId: name, functionName: 'tool', endpoint: `http://${name}`, kwargs };
}

const ok =
  (value: unknown): Behaviour =>
  async () => ({
    content: [{ type: 'text', text: JSON.stringify(value) }],
    structuredContent: value,
  });

const refused = (): Behaviour => async () => {
  throw new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  });
};

const http =
  (status: number): Behaviour =>
  async () => {
    throw new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, `HTTP ${status}`, { status });
  };

async function failure(promise: Promise<unknown>): Promise<MeshError> {
  const thrown = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(MeshError);
  return thrown as MeshError;
}

describe('RemoteCapabilityProxy', () => {
  it('with no provider, fails with unresolved', async () => {
    const { environment } = fakeEnvironment({});
    const proxy = new RemoteCapabilityProxy('dates', [], {}, environment);
    expect((await failure(proxy.call({}))).code).toBe('unresolved');
  });

  it('spreads calls round robin over the providers', async () => {
    const { environment, sent } = fakeEnvironment({ 'http://a': ok(1), 'http://b': ok(2) });
    const proxy = new RemoteCapabilityProxy('dates', [target('a'), target('b')], {}, environment);
    const answers = [];
    for (let call = 0; call < 4; call++) answers.push(await proxy.call({}));
    expect(answers).toEqual([1, 2, 1, 2]);
    expect(sent.map((call) => call.endpoint)).toEqual([
      'http://a',
      'http://b',
      'http://a',
      'http://b',
    ]);
  });

  it('fails over to the next provider when one is unreachable, even without retries', async () => {
    const { environment, sent } = fakeEnvironment({ 'http://a': refused(), 'http://b': ok('b') });
    const proxy = new RemoteCapabilityProxy('dates', [target('a'), target('b')], {}, environment);
    await expect(proxy.call({})).resolves.toBe('b');
    expect(sent.map((call) => call.endpoint)).toEqual(['http://a', 'http://b']);
  });

  it('retries a retryable failure up to retry_count times, then gives up with it', async () => {
    const { environment, sent } = fakeEnvironment({ 'http://a': http(503) });
    const proxy = new RemoteCapabilityProxy(
      'dates',
      [target('a', { retry_count: 2, retry_delay: 0.001 })],
      {},
      environment,
    );
    const error = await failure(proxy.call({}));
    expect(error.code).toBe('transport');
    expect(sent).toHaveLength(3);
  });

  it('does not retry what is not safe to repeat', async () => {
    for (const behaviour of [http(400), http(500), http(401)]) {
      const { environment, sent } = fakeEnvironment({ 'http://a': behaviour });
      const proxy = new RemoteCapabilityProxy(
        'dates',
        [target('a', { retry_count: 3, retry_delay: 0.001 })],
        {},
        environment,
      );
      await failure(proxy.call({}));
      expect(sent).toHaveLength(1);
    }
  });

  it('once every circuit is open, fails with circuit_open without calling anyone', async () => {
    const { environment, sent } = fakeEnvironment({ 'http://a': refused(), 'http://b': refused() });
    const proxy = new RemoteCapabilityProxy('dates', [target('a'), target('b')], {}, environment);
    for (let call = 0; call < 5; call++)
      expect((await failure(proxy.call({}))).code).toBe('transport');
    const before = sent.length;
    expect((await failure(proxy.call({}))).code).toBe('circuit_open');
    expect(sent.length).toBe(before);
  });

  it('sends custom headers, a child traceparent, the deadline, the session and (when required) the token', async () => {
    const { environment, sent } = fakeEnvironment({ 'http://a': ok(1), 'http://b': ok(2) }, 'tok');
    const proxy = new RemoteCapabilityProxy(
      'dates',
      [
        target('a', { custom_headers: { 'x-team': 'blue' }, auth_required: true, timeout: 4 }),
        target('b'),
      ],
      {},
      environment,
    );
    const inbound = '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01';
    await runInCallScope(
      {
        headers: { traceparent: inbound, 'x-user': 'ada' },
        deadline: Date.now() + 2_000,
        sessionId: 's1',
      },
      async () => {
        await proxy.call({}, { headers: { 'x-extra': '1' } });
        await proxy.call({});
      },
    );
    const [first, second] = sent;
    expect(first?.headers).toMatchObject({
      'x-team': 'blue',
      'x-user': 'ada',
      'x-extra': '1',
      authorization: 'Bearer tok',
      'x-session-id': 's1',
    });
    expect(first?.headers.traceparent).toMatch(
      /^00-0123456789abcdef0123456789abcdef-[0-9a-f]{16}-01$/,
    );
    expect(first?.headers.traceparent).not.toBe(inbound);
    const budget = Number(first?.headers['x-mesh-timeout-ms']);
    expect(budget).toBeGreaterThan(0);
    expect(budget).toBeLessThanOrEqual(2_000);
    expect(first?.timeout).toBeLessThanOrEqual(2_000);
    // No auth_required, no token; no custom headers of another provider.
    expect(second?.headers.authorization).toBeUndefined();
    expect(second?.headers['x-team']).toBeUndefined();
  });

  it('without any deadline of the caller, sends the one of its own policy (all attempts)', async () => {
    const { environment, sent } = fakeEnvironment({ 'http://a': ok(1) });
    const proxy = new RemoteCapabilityProxy(
      'dates',
      [target('a', { timeout: 1, retry_count: 1, retry_delay: 0.5, retry_backoff: 2 })],
      {},
      environment,
    );
    await proxy.call({});
    const budget = Number(sent[0]?.headers['x-mesh-timeout-ms']);
    expect(budget).toBeGreaterThan(2_000);
    expect(budget).toBeLessThanOrEqual(2_500);
    expect(sent[0]?.timeout).toBeLessThanOrEqual(1_000);
  });

  it('an error answered by the provider when the deadline passed is a timeout', async () => {
    const { environment } = fakeEnvironment({
      'http://a': async (call) => {
        await new Promise((resolve) =>
          setTimeout(resolve, Number(call.headers['x-mesh-timeout-ms'])),
        );
        return {
          content: [{ type: 'text', text: "did not finish within the caller's deadline" }],
          isError: true,
        };
      },
    });
    const proxy = new RemoteCapabilityProxy('dates', [target('a')], {}, environment);
    expect((await failure(proxy.call({}, { timeoutMs: 100 }))).code).toBe('timeout');
  });

  it('an error answered well within the deadline stays the tool’s own', async () => {
    const { environment } = fakeEnvironment({
      'http://a': async () => ({ content: [{ type: 'text', text: 'no' }], isError: true }),
    });
    const proxy = new RemoteCapabilityProxy('dates', [target('a')], {}, environment);
    expect((await failure(proxy.call({}, { timeoutMs: 10_000 }))).code).toBe('remote_tool_error');
  });

  it('a caller’s abort is cancelled, not a provider failure', async () => {
    const { environment, breakers } = fakeEnvironment({
      'http://a': (_call, options) =>
        new Promise((_, reject) => {
          options.signal?.addEventListener('abort', () => reject(options.signal?.reason));
        }),
    });
    const proxy = new RemoteCapabilityProxy('dates', [target('a')], {}, environment);
    const controller = new AbortController();
    const pending = proxy.call({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    expect((await failure(pending)).code).toBe('cancelled');
    expect(breakers.get('http://a')?.isAvailable()).toBe(true);
  });

  it('streams progress in order, and never retries once a stream has begun', async () => {
    const { environment, sent } = fakeEnvironment({
      'http://a': async (_call, options) => {
        options.onprogress?.({ progress: 1, total: 2 });
        throw new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'HTTP 503', { status: 503 });
      },
    });
    const proxy = new RemoteCapabilityProxy(
      'dates',
      [target('a', { retry_count: 3, retry_delay: 0.001 })],
      {},
      environment,
    );
    const chunks: StreamChunk[] = [];
    const error = await (async () => {
      for await (const chunk of proxy.stream({})) chunks.push(chunk);
    })().catch((thrown: unknown) => thrown);
    expect(chunks).toEqual([{ progress: 1, total: 2 }]);
    expect((error as MeshError).code).toBe('transport');
    expect(sent).toHaveLength(1);
  });

  it('bounds a slow handshake by the timeout, and lets it finish for the next call', async () => {
    let connected!: (client: unknown) => void;
    const handshake = new Promise((resolve) => {
      connected = resolve;
    });
    const environment: ProxyEnvironment = {
      connections: {
        client: () => handshake,
        discard: () => {},
      } as unknown as McpConnections,
      breaker: () => new CircuitBreaker(),
    };
    const proxy = new RemoteCapabilityProxy(
      'dates',
      [target('a', { timeout: 0.05 })],
      {},
      environment,
    );
    const error = await failure(proxy.call({}));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('did not answer in time');
    // The same handshake, once done, serves the next call.
    connected({ callTool: ok('late but there') });
    await expect(proxy.call({})).resolves.toBe('late but there');
  });

  it('update() swaps providers in place; registry kwargs override the spec defaults', async () => {
    const { environment, sent } = fakeEnvironment({ 'http://a': ok('a'), 'http://b': ok('b') });
    const proxy = new RemoteCapabilityProxy('dates', [target('a')], { timeout: 9 }, environment);
    await proxy.call({});
    proxy.update([target('b', { timeout: 2 })]);
    await expect(proxy.call({})).resolves.toBe('b');
    expect(sent[0]?.timeout).toBeLessThanOrEqual(9_000);
    expect(sent[0]?.timeout).toBeGreaterThan(2_000);
    expect(sent[1]?.timeout).toBeLessThanOrEqual(2_000);
  });

  it('does not repeat a call whose connection was cut mid-call unless retry_count allows', async () => {
    const cut: Behaviour = async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      });
    };
    const once = fakeEnvironment({ 'http://a': cut, 'http://b': ok('b') });
    const strict = new RemoteCapabilityProxy(
      'dates',
      [target('a'), target('b')],
      {},
      once.environment,
    );
    expect((await failure(strict.call({}))).code).toBe('transport');
    expect(once.sent.map((call) => call.endpoint)).toEqual(['http://a']);

    const twice = fakeEnvironment({ 'http://a': cut, 'http://b': ok('b') });
    const repeatable = new RemoteCapabilityProxy(
      'dates',
      [
        target('a', { retry_count: 1, retry_delay: 0.001 }),
        target('b', { retry_count: 1, retry_delay: 0.001 }),
      ],
      {},
      twice.environment,
    );
    await expect(repeatable.call({})).resolves.toBe('b');
    expect(twice.sent.map((call) => call.endpoint)).toEqual(['http://a', 'http://b']);
  });

  it('sends new calls past a provider whose calls pile up (less loaded of two)', async () => {
    let release: () => void = () => {};
    const stuck: Behaviour = () =>
      new Promise((resolve) => {
        release = () => resolve({ content: [], structuredContent: 'a' });
      });
    const { environment, sent } = fakeEnvironment({ 'http://a': stuck, 'http://b': ok('b') });
    const proxy = new RemoteCapabilityProxy('dates', [target('a'), target('b')], {}, environment);
    const pending = proxy.call({});
    for (let call = 0; call < 6; call++) await expect(proxy.call({})).resolves.toBe('b');
    expect(sent.filter((call) => call.endpoint === 'http://a')).toHaveLength(1);
    release();
    await expect(pending).resolves.toBe('a');
  });

  it('keeps a session on one replica: hashed at first, then wherever the answers say it lives', async () => {
    const replica =
      (id: string): Behaviour =>
      async () => ({ content: [], structuredContent: id, _meta: { 'io.mcp-mesh/replica': id } });
    const { environment, sent } = fakeEnvironment({
      'http://a': replica('a'),
      'http://b': replica('b'),
      'http://c': replica('c'),
    });
    const affine = { session_required: true };
    const proxy = new RemoteCapabilityProxy(
      'counter',
      [target('a', affine), target('b', affine), target('c', affine)],
      {},
      environment,
    );
    const first = await proxy.call({ session_id: 's1', by: 1 });
    for (let call = 0; call < 5; call++)
      await expect(proxy.call({ session_id: 's1', by: 1 })).resolves.toBe(first);
    expect(new Set(sent.map((call) => call.endpoint))).toEqual(new Set([`http://${first}`]));
    expect(sent.every((call) => call.headers['x-session-id'] === 's1')).toBe(true);

    // Sessions spread over the replicas; an explicit sessionId wins over the argument.
    const owners = new Set<unknown>();
    for (let session = 0; session < 30; session++)
      owners.add(await proxy.call({ session_id: `spread-${session}`, by: 1 }));
    expect(owners.size).toBe(3);
    await proxy.call({ session_id: 'ignored', by: 1 }, { sessionId: 's1' });
    expect(sent.at(-1)?.headers['x-session-id']).toBe('s1');
  });

  it('follows the owner an answer names: a forwarded call teaches where the session lives', async () => {
    const forwardedToC: Behaviour = async () => ({
      content: [],
      structuredContent: 'c',
      _meta: { 'io.mcp-mesh/replica': 'c' },
    });
    const { environment, sent } = fakeEnvironment({
      'http://a': forwardedToC,
      'http://b': forwardedToC,
      'http://c': forwardedToC,
    });
    const affine = { session_required: true };
    const proxy = new RemoteCapabilityProxy(
      'counter',
      [target('a', affine), target('b', affine), target('c', affine)],
      {},
      environment,
    );
    for (let session = 0; session < 10; session++) {
      await proxy.call({ session_id: `s${session}`, by: 1 });
      await proxy.call({ session_id: `s${session}`, by: 1 });
    }
    const followUps = sent.filter((_, index) => index % 2 === 1);
    expect(followUps.every((call) => call.endpoint === 'http://c')).toBe(true);
    expect(sent.some((call) => call.endpoint !== 'http://c')).toBe(true);
  });

  it('honours Retry-After: waits at least that long, and gives up at once when it outlasts the deadline', async () => {
    let attempts = 0;
    const busy: Behaviour = async () => {
      attempts++;
      if (attempts === 1)
        throw new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'HTTP 503', {
          status: 503,
          retryAfterMs: 150,
        });
      return { content: [], structuredContent: 'later' };
    };
    const patient = fakeEnvironment({ 'http://a': busy });
    const proxy = new RemoteCapabilityProxy(
      'dates',
      [target('a', { retry_count: 1, retry_delay: 0.001 })],
      {},
      patient.environment,
    );
    const started = performance.now();
    await expect(proxy.call({})).resolves.toBe('later');
    // A lower bound only: the retry cannot come sooner than the provider asked.
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    const tooLong = fakeEnvironment({
      'http://a': async () => {
        throw new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'HTTP 429', {
          status: 429,
          retryAfterMs: 60_000,
        });
      },
    });
    const bounded = new RemoteCapabilityProxy(
      'dates',
      [target('a', { retry_count: 3, retry_delay: 0.001, timeout: 1 })],
      {},
      tooLong.environment,
    );
    const error = await failure(bounded.call({}));
    expect(error.code).toBe('transport');
    expect(error.message).toContain('429');
    expect(tooLong.sent).toHaveLength(1);
  });
});
