import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineAgent } from '../agent/define-agent.js';
import type { HeartbeatAnswer, ResolvedPosition } from '../lifecycle/registry-client.js';
import type { ToolMetadata } from '../metadata.js';
import { CircuitBreaker } from '../proxy/circuit-breaker.js';
import { LocalCapabilityProxy } from '../proxy/local-proxy.js';
import { McpConnections } from '../proxy/mcp-connections.js';
import { RemoteCapabilityProxy } from '../proxy/remote-proxy.js';
import { Wiring } from './wiring.js';

function tool(name: string, capability: string, dependencies: string[] = []): ToolMetadata {
  return {
    name,
    capability,
    version: '1.0.0',
    tags: [],
    inputSchema: { type: 'object' },
    kwargs: {},
    dependencies: dependencies.map((dependency) => ({
      capability: dependency,
      version: '*',
      tags: [],
      required: false,
      parameter: dependency,
    })),
  };
}

const definition = defineAgent({
  metadata: {
    name: 'me',
    version: '1.0.0',
    namespace: 'default',
    port: 0,
    tools: [
      tool('greet', 'greeting', ['dates', 'names']),
      tool('today', 'dates'),
      tool('plain', 'plain'),
    ],
    resources: [],
    prompts: [],
  },
  handlers: {
    tools: { greet: () => 'hi', today: () => ({ date: 'today' }), plain: () => 'plain' },
  },
  proxyDefaults: { dates: { capability: 'dates', kwargs: { timeout: 7, retry_count: 1 } } },
});

function candidate(agentId: string, capability: string, endpoint = `http://${agentId}:1`) {
  return {
    agent_id: agentId,
    function_name: `${capability}_tool`,
    endpoint,
    capability,
    kwargs: {},
  };
}

function position(
  capability: string,
  candidates: ReturnType<typeof candidate>[],
): ResolvedPosition {
  const first = candidates[0];
  return first
    ? { ...first, status: 'available', candidates }
    : {
        agent_id: '',
        function_name: '',
        endpoint: '',
        capability,
        status: 'unresolved',
        candidates: [],
      };
}

function answer(greet: ResolvedPosition[]): HeartbeatAnswer {
  return { agent_id: 'me-1', dependencies_resolved: { greet } };
}

describe('Wiring', () => {
  const connections: McpConnections[] = [];
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((pool) => pool.close()));
  });

  function wiring(startupWaitMs = 1_000): Wiring {
    const pool = new McpConnections('me-1');
    connections.push(pool);
    return new Wiring(
      definition,
      'me-1',
      { connections: pool, breaker: () => new CircuitBreaker() },
      async (toolName) => `local ${toolName}`,
      pino({ level: 'silent' }),
      startupWaitMs,
    );
  }

  const signal = () => new AbortController().signal;

  it('before the first answer a call waits for it, bounded by the start-up wait', async () => {
    vi.useFakeTimers();
    try {
      const wired = wiring(1_000);
      let answered: Record<string, unknown> | undefined;
      void wired.dependencies('greet', signal()).then((dependencies) => {
        answered = dependencies;
      });
      await vi.advanceTimersByTimeAsync(999);
      expect(answered).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(answered).toEqual({ dates: undefined, names: undefined });
    } finally {
      vi.useRealTimers();
    }
  });

  it('a waiting call gets the proxies as soon as the first answer arrives', async () => {
    const wired = wiring(10_000);
    const pending = wired.dependencies('greet', signal());
    wired.apply(answer([position('dates', [candidate('clock', 'dates')]), position('names', [])]));
    const dependencies = await pending;
    expect(dependencies.dates).toBeInstanceOf(RemoteCapabilityProxy);
    expect(dependencies.names).toBeUndefined();
  });

  it('does not wait for tools without dependencies, nor after an aborted signal', async () => {
    const wired = wiring(10_000);
    const started = Date.now();
    expect(await wired.dependencies('plain', signal())).toEqual({});
    expect(await wired.dependencies('greet', AbortSignal.abort())).toEqual({
      dates: undefined,
      names: undefined,
    });
    const aborting = new AbortController();
    const waiting = wired.dependencies('greet', aborting.signal);
    aborting.abort();
    await waiting;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('wires every candidate, best first, with the registry kwargs over the spec defaults', async () => {
    const wired = wiring();
    const registryKwargs = { ...candidate('clock-a', 'dates'), kwargs: { timeout: 3 } };
    wired.apply(
      answer([
        position('dates', [registryKwargs, candidate('clock-b', 'dates')]),
        position('names', []),
      ]),
    );
    const proxy = (await wired.dependencies('greet', signal())).dates as RemoteCapabilityProxy<
      unknown,
      unknown
    >;
    expect(proxy.providers.map((target) => target.agentId)).toEqual(['clock-a', 'clock-b']);
    const policies = proxy.providers as unknown as {
      policy: { timeoutMs: number; retryCount: number };
    }[];
    expect(policies[0]?.policy).toMatchObject({ timeoutMs: 3_000, retryCount: 1 });
    expect(policies[1]?.policy).toMatchObject({ timeoutMs: 7_000, retryCount: 1 });
  });

  it('rewires only when the providers changed, keeping the proxy object across changes', async () => {
    const wired = wiring();
    const first = answer([
      position('dates', [candidate('clock-a', 'dates')]),
      position('names', []),
    ]);
    expect(wired.apply(first)).toBe(true);
    const proxy = (await wired.dependencies('greet', signal())).dates;
    expect(wired.apply(first)).toBe(false);
    expect(
      wired.apply(
        answer([
          position('dates', [candidate('clock-b', 'dates'), candidate('clock-a', 'dates')]),
          position('names', []),
        ]),
      ),
    ).toBe(true);
    const again = (await wired.dependencies('greet', signal())).dates as RemoteCapabilityProxy<
      unknown,
      unknown
    >;
    expect(again).toBe(proxy);
    expect(again.providers.map((target) => target.agentId)).toEqual(['clock-b', 'clock-a']);
  });

  it('unwires a dependency whose providers left', async () => {
    const wired = wiring();
    wired.apply(answer([position('dates', [candidate('clock', 'dates')]), position('names', [])]));
    expect(wired.apply(answer([position('dates', []), position('names', [])]))).toBe(true);
    expect((await wired.dependencies('greet', signal())).dates).toBeUndefined();
    expect(wired.snapshot().greet).toEqual([
      { capability: 'dates', parameter: 'dates', status: 'unresolved', providers: [] },
      { capability: 'names', parameter: 'names', status: 'unresolved', providers: [] },
    ]);
    // A tool missing from the answer altogether is unresolved too.
    wired.apply(answer([position('dates', [candidate('clock', 'dates')])]));
    wired.apply({ agent_id: 'me-1', dependencies_resolved: {} });
    expect((await wired.dependencies('greet', signal())).dates).toBeUndefined();
  });

  it('calls a dependency the agent provides itself in process', async () => {
    const wired = wiring();
    wired.apply(
      answer([
        position('dates', [{ ...candidate('me-1', 'dates', ''), function_name: 'today' }]),
        position('names', []),
      ]),
    );
    const proxy = (await wired.dependencies('greet', signal())).dates;
    expect(proxy).toBeInstanceOf(LocalCapabilityProxy);
    await expect((proxy as LocalCapabilityProxy<unknown, unknown>).call({})).resolves.toBe(
      'local today',
    );
    expect(wired.snapshot().greet).toEqual([
      {
        capability: 'dates',
        parameter: 'dates',
        status: 'resolved',
        providers: [{ agent_id: 'me-1', function_name: 'today', endpoint: 'in-process' }],
      },
      { capability: 'names', parameter: 'names', status: 'unresolved', providers: [] },
    ]);
  });

  it('ignores candidates without an endpoint (other than itself)', async () => {
    const wired = wiring();
    wired.apply(
      answer([
        position('dates', [candidate('ghost', 'dates', ''), candidate('clock', 'dates')]),
        position('names', []),
      ]),
    );
    const proxy = (await wired.dependencies('greet', signal())).dates as RemoteCapabilityProxy<
      unknown,
      unknown
    >;
    expect(proxy.providers.map((target) => target.agentId)).toEqual(['clock']);
  });

  it("reads the predecessor's answer, which has no candidate list", async () => {
    const wired = wiring();
    const { candidates: _, ...single } = position('dates', [candidate('clock', 'dates')]);
    wired.apply(answer([single, position('names', [])]));
    const proxy = (await wired.dependencies('greet', signal())).dates as RemoteCapabilityProxy<
      unknown,
      unknown
    >;
    expect(proxy.providers.map((target) => target.endpoint)).toEqual(['http://clock:1']);
  });

  it('wires a position of alternatives to the capability the registry resolved it to', async () => {
    const pool = new McpConnections('me-1');
    connections.push(pool);
    const locate: ToolMetadata = {
      ...tool('locate', 'locating'),
      dependencies: [
        {
          capability: 'geo_pro',
          version: '>=2',
          tags: [],
          required: false,
          parameter: 'geo',
          fallbacks: [{ capability: 'geo_basic', version: '*', tags: [] }],
        },
      ],
    };
    const wired = new Wiring(
      defineAgent({
        metadata: { ...definition.metadata, tools: [locate] },
        handlers: { tools: { locate: () => 'here' } },
        proxyDefaults: {
          geo_pro: { capability: 'geo_pro', kwargs: { timeout: 9 } },
          geo_basic: { capability: 'geo_basic', kwargs: { timeout: 2 } },
        },
      }),
      'me-1',
      { connections: pool, breaker: () => new CircuitBreaker() },
      async (toolName) => `local ${toolName}`,
      pino({ level: 'silent' }),
      1_000,
    );
    const resolvedTo = (capability: string, agentId: string) => ({
      agent_id: 'me-1',
      dependencies_resolved: {
        locate: [{ ...position(capability, [candidate(agentId, capability)]), alternative: 1 }],
      },
    });
    const proxyOf = async () =>
      (await wired.dependencies('locate', signal())).geo as RemoteCapabilityProxy<unknown, unknown>;

    wired.apply(resolvedTo('geo_basic', 'basic'));
    const basic = await proxyOf();
    expect(basic.capability).toBe('geo_basic');
    expect(
      (basic.providers as unknown as { policy: { timeoutMs: number } }[])[0]?.policy,
    ).toMatchObject({
      timeoutMs: 2_000,
    });
    expect(wired.snapshot().locate).toEqual([
      {
        capability: 'geo_basic',
        parameter: 'geo',
        status: 'resolved',
        providers: [
          { agent_id: 'basic', function_name: 'geo_basic_tool', endpoint: 'http://basic:1' },
        ],
      },
    ]);

    expect(wired.apply(resolvedTo('geo_pro', 'pro'))).toBe(true);
    const pro = await proxyOf();
    expect(pro).not.toBe(basic);
    expect(pro.capability).toBe('geo_pro');
    expect(
      (pro.providers as unknown as { policy: { timeoutMs: number } }[])[0]?.policy,
    ).toMatchObject({
      timeoutMs: 9_000,
    });

    wired.apply({ agent_id: 'me-1', dependencies_resolved: { locate: [position('geo_pro', [])] } });
    expect(await proxyOf()).toBeUndefined();
    expect(wired.snapshot().locate).toEqual([
      { capability: 'geo_pro', parameter: 'geo', status: 'unresolved', providers: [] },
    ]);
  });

  it('shows the wiring as /metadata does, for tools with dependencies only', () => {
    const wired = wiring();
    wired.apply(answer([position('dates', [candidate('clock', 'dates')]), position('names', [])]));
    expect(Object.keys(wired.snapshot())).toEqual(['greet']);
    expect(wired.snapshot().greet).toContainEqual({
      capability: 'dates',
      parameter: 'dates',
      status: 'resolved',
      providers: [{ agent_id: 'clock', function_name: 'dates_tool', endpoint: 'http://clock:1' }],
    });
  });
});
