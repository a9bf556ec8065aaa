/**
 * In-process agents against a real registry: a dependency the agent provides itself is wired
 * to its own handler (no network), and a graceful stop lets the call in flight finish and
 * unregisters at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestSqliteDatabase,
  type TestDatabase,
} from '../../../registry/store/test-databases.js';
import { defineAgent } from '../../../runtime/agent/define-agent.js';
import type { CapabilityProxy } from '../../../runtime/agent/proxy.js';
import { LocalCapabilityProxy } from '../../../runtime/proxy/local-proxy.js';
import { RegistryClient, unique } from '../support/registry-client.js';
import { type RegistryProcess, startRegistryProcess } from '../support/registry-process.js';
import { faultyProvider } from './support/agents.js';
import { useCleanup } from './support/cleanup.js';
import {
  connectClient,
  eventually,
  fastRegistryEnv,
  startInProcessAgent,
  toolMetadata,
} from './support/mesh.js';

let database: TestDatabase | undefined;
let registry: RegistryProcess | undefined;
let client: RegistryClient;

beforeAll(async () => {
  database = createTestSqliteDatabase();
  registry = await startRegistryProcess({ databaseUrl: database.url, env: fastRegistryEnv });
  client = new RegistryClient(registry.url);
});

afterAll(async () => {
  try {
    await registry?.stop();
  } finally {
    await database?.drop();
  }
});

describe('in-process agents', () => {
  const cleanup = useCleanup();

  it('resolves a dependency the agent provides itself to its own handler, called in process', async () => {
    const doubling = unique('double');
    const innerSeen: { deadline: boolean; traceparent?: string }[] = [];
    const definition = defineAgent({
      metadata: {
        name: unique('selfish'),
        version: '1.0.0',
        namespace: 'default',
        port: 0,
        tools: [
          toolMetadata('quadruple', unique('quadruple'), {
            dependencies: [{ capability: doubling, parameter: 'twice' }],
          }),
          toolMetadata('double', doubling),
        ],
        resources: [],
        prompts: [],
      },
      handlers: {
        tools: {
          quadruple: async (
            input: { n: number },
            { twice }: { twice?: CapabilityProxy<{ n: number }, { n: number }> },
          ) => {
            if (!twice) throw new Error('double is not wired');
            const once = await twice.call({ n: input.n });
            return twice.call({ n: once.n });
          },
          double: (input: { n: number }, _deps: unknown, context) => {
            innerSeen.push({
              deadline: !context.signal.aborted,
              ...(context.headers.traceparent === undefined
                ? {}
                : { traceparent: context.headers.traceparent }),
            });
            return { n: input.n * 2 };
          },
        },
      },
      proxyDefaults: {},
    });
    const agent = await startInProcessAgent(cleanup, definition, registry!.url);

    const wiring = await eventually('quadruple wired', () => {
      const snapshot = agent.wiring.snapshot() as Record<
        string,
        { status: string; providers: { agent_id: string; endpoint: string }[] }[]
      >;
      return snapshot.quadruple?.[0]?.status === 'resolved' ? snapshot.quadruple[0] : undefined;
    });
    expect(wiring.providers).toEqual([
      { agent_id: agent.agentId, function_name: 'double', endpoint: 'in-process' },
    ]);
    const proxy = (await agent.wiring.dependencies('quadruple', AbortSignal.timeout(1_000))).twice;
    expect(proxy).toBeInstanceOf(LocalCapabilityProxy);

    // /metadata tells the same, and a call through MCP runs the dependency in process.
    const metadata = (await (await fetch(`${agent.url}/metadata`)).json()) as {
      wiring: Record<string, { providers: { endpoint: string }[] }[]>;
    };
    expect(metadata.wiring.quadruple?.[0]?.providers[0]?.endpoint).toBe('in-process');
    const mcp = await connectClient(cleanup, agent.url);
    const result = await mcp.callTool({ name: 'quadruple', arguments: { n: 5 } });
    expect(
      result.structuredContent ?? JSON.parse((result.content as { text: string }[])[0]!.text),
    ).toEqual({
      n: 20,
    });
    // Both inner calls ran inside the outer call's scope (same trace context, live signal).
    expect(innerSeen).toHaveLength(2);
    expect(innerSeen[0]?.traceparent).toBeDefined();
    expect(innerSeen[1]?.traceparent).toBe(innerSeen[0]?.traceparent);
    expect(innerSeen.every((seen) => seen.deadline)).toBe(true);
  });

  it('stop() lets the call in flight finish and unregisters at once', async () => {
    const capability = unique('slow');
    const provider = faultyProvider(unique('stopping'), { slow: capability });
    const agent = await startInProcessAgent(cleanup, provider.definition, registry!.url);
    await eventually(
      'the agent registered',
      async () => (await client.agent(agent.agentId))?.status === 'healthy',
    );
    const mcp = await connectClient(cleanup, agent.url);
    const started = provider.log.slowStarted();
    const inFlight = mcp.callTool({ name: 'slow', arguments: { ms: 400 } });
    await started;

    await agent.stop();
    // Gone the moment stop() resolved: no polling.
    expect(await client.agent(agent.agentId)).toBeUndefined();
    const result = await inFlight;
    expect(result.isError ?? false).toBe(false);
    expect(
      result.structuredContent ?? JSON.parse((result.content as { text: string }[])[0]!.text),
    ).toMatchObject({
      slept: 400,
    });
    // And it no longer serves.
    await expect(fetch(`${agent.url}/livez`)).rejects.toThrow();
  });
});
