/**
 * The remote proxy against real providers: one registry process for the file, providers and
 * consumers run in process with `runAgent` (real HTTP, real MCP, real registry link), and a raw
 * HTTP fault proxy in front of a provider where a test needs failures the provider itself would
 * not produce (503s, dropped connections).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestSqliteDatabase,
  type TestDatabase,
} from '../../../registry/store/test-databases.js';
import type { CapabilityProxy } from '../../../runtime/agent/proxy.js';
import { MeshError } from '../../../runtime/errors/mesh-error.js';
import type { RunningAgent } from '../../../runtime/run-agent.js';
import { RegistryClient, unique } from '../support/registry-client.js';
import { type RegistryProcess, startRegistryProcess } from '../support/registry-process.js';
import { consumer, faultyProvider } from './support/agents.js';
import { useCleanup } from './support/cleanup.js';
import { startFaultProxy } from './support/fault-proxy.js';
import {
  eventually,
  fastRegistryEnv,
  startInProcessAgent,
  type TestRegistry,
} from './support/mesh.js';
import { registerAt } from './support/registration.js';

type AnyProxy = CapabilityProxy<Record<string, unknown>, Record<string, unknown>>;

let database: TestDatabase | undefined;
let registryProcess: RegistryProcess | undefined;
let registry: TestRegistry;

beforeAll(async () => {
  database = createTestSqliteDatabase();
  registryProcess = await startRegistryProcess({ databaseUrl: database.url, env: fastRegistryEnv });
  registry = {
    process: registryProcess,
    client: new RegistryClient(registryProcess.url),
    url: registryProcess.url,
  };
});

afterAll(async () => {
  try {
    await registryProcess?.stop();
  } finally {
    await database?.drop();
  }
});

/** The consumer's proxy for `capability`, once the registry resolved a provider for it. */
async function wired(agent: RunningAgent, capability: string, providers = 1): Promise<AnyProxy> {
  return eventually(
    `${agent.agentId} wired to ${providers} provider(s) of ${capability}`,
    async () => {
      const proxy = (await agent.wiring.dependencies('use', AbortSignal.timeout(1_000)))[
        capability
      ] as (AnyProxy & { providers?: readonly unknown[] }) | undefined;
      return proxy && (proxy.providers?.length ?? 1) >= providers ? proxy : undefined;
    },
  );
}

async function failure(promise: Promise<unknown>): Promise<MeshError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(MeshError);
  return error as MeshError;
}

describe('remote proxy', () => {
  const cleanup = useCleanup();

  it('gives up on a slow tool after its timeout with MeshError timeout, and the provider stops', async () => {
    const capability = unique('slow');
    const provider = faultyProvider(
      unique('sluggish'),
      { slow: capability },
      { slow: { timeout: 1 } },
    );
    await startInProcessAgent(cleanup, provider.definition, registry.url);
    const caller = await startInProcessAgent(
      cleanup,
      consumer(unique('caller'), [capability]),
      registry.url,
    );
    const proxy = await wired(caller, capability);
    // Connected once (the handshake is not what this test times out).
    await expect(proxy.call({ ms: 1 })).resolves.toMatchObject({ slept: 1 });

    const started = Date.now();
    const error = await failure(proxy.call({ ms: 10_000 }));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
    // The deadline travelled with the call: the provider's handler was aborted too.
    await eventually('the provider handler aborted', () => provider.log.aborted.length > 0);

    // A call within the timeout still works on the same proxy.
    await expect(proxy.call({ ms: 10 })).resolves.toMatchObject({ slept: 10 });
  });

  it('bounds the connection handshake by the timeout too: a provider that never answers', async () => {
    const capability = unique('mute');
    const provider = faultyProvider(unique('mute'), { echo: capability });
    const upstream = await startInProcessAgent(cleanup, provider.definition, undefined);
    const hole = cleanup.defer(await startFaultProxy(upstream.url, { kind: 'hang' }), (proxy) =>
      proxy.close(),
    );
    await registerAt(cleanup, registry, unique('mute-agent'), provider.definition, hole.port, {
      timeout: 0.5,
    });
    const caller = await startInProcessAgent(
      cleanup,
      consumer(unique('caller'), [capability]),
      registry.url,
    );
    const proxy = await wired(caller, capability);

    const started = Date.now();
    const error = await failure(proxy.call({ value: 1 }));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(hole.requests.length).toBeGreaterThan(0);
    // Nor does the provider that never answers hold up the caller's shutdown.
    const stopping = Date.now();
    await caller.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);
  });

  it.each([
    { failures: 2, retryCount: 2, succeeds: true },
    { failures: 3, retryCount: 2, succeeds: false },
  ])(
    'retries HTTP 503 ($failures failures, retry_count $retryCount): succeeds=$succeeds',
    async ({ failures, retryCount, succeeds }) => {
      const capability = unique('flaky');
      const provider = faultyProvider(unique('flaky'), { echo: capability });
      const upstream = await startInProcessAgent(cleanup, provider.definition, undefined);
      const faults = cleanup.defer(
        await startFaultProxy(upstream.url, {
          kind: 'fail-tool-calls',
          status: 503,
          count: failures,
        }),
        (proxy) => proxy.close(),
      );
      await registerAt(cleanup, registry, unique('flaky-agent'), provider.definition, faults.port, {
        retry_count: retryCount,
        retry_delay: 0.02,
      });
      const caller = await startInProcessAgent(
        cleanup,
        consumer(unique('caller'), [capability]),
        registry.url,
      );
      const proxy = await wired(caller, capability);

      if (succeeds) {
        await expect(proxy.call({ value: 7 })).resolves.toMatchObject({ value: 7 });
        expect(faults.toolCalls().map((request) => request.outcome)).toEqual([
          ...Array(failures).fill('failed'),
          'forwarded',
        ]);
        expect(provider.log.calls.echo).toBe(1);
      } else {
        const error = await failure(proxy.call({ value: 7 }));
        expect(error.code).toBe('transport');
        expect(error.message).toContain('503');
        expect(error.retryable).toBe(true);
        // One attempt plus retry_count retries, none of which reached the tool.
        expect(faults.toolCalls()).toHaveLength(retryCount + 1);
        expect(provider.log.calls.echo).toBeUndefined();
      }
    },
  );

  it('does not retry a tool error', async () => {
    const capability = unique('guarded');
    // A guarded tool called without credentials: 401 is not retryable whatever retry_count says.
    const provider = faultyProvider(
      unique('strict'),
      { guarded: capability },
      { guarded: { retry_count: 3 } },
    );
    const upstream = await startInProcessAgent(cleanup, provider.definition, undefined, {
      authToken: 'secret',
    });
    const counter = cleanup.defer(await startFaultProxy(upstream.url), (proxy) => proxy.close());
    await registerAt(cleanup, registry, unique('strict-agent'), provider.definition, counter.port);
    const caller = await startInProcessAgent(
      cleanup,
      consumer(unique('caller'), [capability]),
      registry.url,
    );
    const proxy = await wired(caller, capability);
    const error = await failure(proxy.call({ value: 1 }));
    expect(error.code).toBe('unauthorized');
    expect(counter.toolCalls()).toHaveLength(1);
  });

  it('fails over to the second provider when the first drops connections', async () => {
    const capability = unique('echo');
    const dead = faultyProvider(unique('dead'), { echo: capability });
    const live = faultyProvider(unique('live'), { echo: capability });
    const deadUpstream = await startInProcessAgent(cleanup, dead.definition, undefined);
    const dropper = cleanup.defer(
      await startFaultProxy(deadUpstream.url, { kind: 'drop' }),
      (proxy) => proxy.close(),
    );
    await registerAt(cleanup, registry, unique('dead-agent'), dead.definition, dropper.port);
    await startInProcessAgent(cleanup, live.definition, registry.url);
    const caller = await startInProcessAgent(
      cleanup,
      consumer(unique('caller'), [capability]),
      registry.url,
    );
    const proxy = await wired(caller, capability, 2);

    for (let call = 0; call < 4; call++) {
      await expect(proxy.call({ value: call })).resolves.toMatchObject({
        value: call,
        agent: live.definition.metadata.name,
      });
    }
    expect(dropper.requests.length).toBeGreaterThan(0);
    expect(dead.log.calls.echo).toBeUndefined();
    expect(live.log.calls.echo).toBe(4);
  });

  it('opens the circuit of a failing provider: calls go to the other, the dead one is left alone', async () => {
    const capability = unique('echo');
    const dead = faultyProvider(unique('dead'), { echo: capability });
    const live = faultyProvider(unique('live'), { echo: capability });
    const deadUpstream = await startInProcessAgent(cleanup, dead.definition, undefined);
    const liveUpstream = await startInProcessAgent(cleanup, live.definition, undefined);
    const dropper = cleanup.defer(
      await startFaultProxy(deadUpstream.url, { kind: 'drop' }),
      (proxy) => proxy.close(),
    );
    const counter = cleanup.defer(await startFaultProxy(liveUpstream.url), (proxy) =>
      proxy.close(),
    );
    await registerAt(cleanup, registry, unique('dead-agent'), dead.definition, dropper.port);
    await registerAt(cleanup, registry, unique('live-agent'), live.definition, counter.port);
    const caller = await startInProcessAgent(
      cleanup,
      consumer(unique('caller'), [capability]),
      registry.url,
    );
    const proxy = await wired(caller, capability, 2);

    // Five failures open the dead provider's circuit (each call fails over, so all succeed);
    // however the calls are spread, twenty calls try the dead provider five times.
    for (let call = 0; call < 20; call++) await proxy.call({ value: call });
    const deadRequests = dropper.requests.length;
    expect(deadRequests).toBeGreaterThan(0);

    for (let call = 0; call < 10; call++) {
      await expect(proxy.call({ value: call })).resolves.toMatchObject({ value: call });
    }
    // Within the cool-down nothing more reached the dead provider; the live one took them all.
    expect(dropper.requests.length).toBe(deadRequests);
    expect(counter.toolCalls()).toHaveLength(30);
    expect(live.log.calls.echo).toBe(30);
  });

  it('refuses an answer larger than max_response_size with response_too_large', async () => {
    const capability = unique('big');
    const provider = faultyProvider(
      unique('bulky'),
      { big: capability },
      { big: { max_response_size: 2_000 } },
    );
    await startInProcessAgent(cleanup, provider.definition, registry.url);
    const caller = await startInProcessAgent(
      cleanup,
      consumer(unique('caller'), [capability]),
      registry.url,
    );
    const proxy = await wired(caller, capability);

    const error = await failure(proxy.call({ size: 50_000 }));
    expect(error.code).toBe('response_too_large');
    // A small answer on the same proxy (and connection pool) is fine.
    await expect(proxy.call({ size: 10 })).resolves.toEqual({ data: 'x'.repeat(10) });
  });

  it('sends the bearer token to auth_required tools: wrong token unauthorized, right token works', async () => {
    const capability = unique('guarded');
    const provider = faultyProvider(unique('vault'), { guarded: capability });
    await startInProcessAgent(cleanup, provider.definition, registry.url, {
      authToken: 'right-token',
    });
    const wrong = await startInProcessAgent(
      cleanup,
      consumer(unique('intruder'), [capability]),
      registry.url,
      {
        authToken: 'wrong-token',
      },
    );
    const right = await startInProcessAgent(
      cleanup,
      consumer(unique('friend'), [capability]),
      registry.url,
      {
        authToken: 'right-token',
      },
    );

    const error = await failure((await wired(wrong, capability)).call({ value: 1 }));
    expect(error.code).toBe('unauthorized');
    await expect((await wired(right, capability)).call({ value: 2 })).resolves.toMatchObject({
      value: 2,
    });
    expect(provider.log.calls.guarded).toBe(1);
  });

  it('sends custom_headers, traceparent and the deadline header to the provider', async () => {
    const capability = unique('echo');
    const provider = faultyProvider(
      unique('mirror'),
      { echo: capability },
      { echo: { custom_headers: { 'x-team': 'blue' }, timeout: 5 } },
    );
    const upstream = await startInProcessAgent(cleanup, provider.definition, undefined, {
      propagateHeaders: ['x-team'],
    });
    const recorder = cleanup.defer(await startFaultProxy(upstream.url), (proxy) => proxy.close());
    await registerAt(cleanup, registry, unique('mirror-agent'), provider.definition, recorder.port);
    const caller = await startInProcessAgent(
      cleanup,
      consumer(unique('caller'), [capability]),
      registry.url,
    );
    const proxy = await wired(caller, capability);

    const answer = (await proxy.call({ value: 'hi' })) as { headers: Record<string, string> };
    // The provider's handler sees the header (its agent propagates x-team) …
    expect(answer.headers['x-team']).toBe('blue');
    // … because it was on the wire, with the trace context and the remaining deadline.
    const [request] = recorder.toolCalls();
    expect(request?.headers['x-team']).toBe('blue');
    expect(request?.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const budget = Number(request?.headers['x-mesh-timeout-ms']);
    expect(budget).toBeGreaterThan(0);
    expect(budget).toBeLessThanOrEqual(5_000);
  });
});
