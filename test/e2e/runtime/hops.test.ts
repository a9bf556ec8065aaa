/**
 * Calls over several hops of real agents (in process, real HTTP and registry): a deadline set
 * by the first caller bounds every hop below it, and progress streams from the last hop back
 * to the first, in order, with cancellation travelling the other way.
 *
 *   caller ──► front (A) ──► relay (B) ──► worker (C: slow, ticker)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestSqliteDatabase,
  type TestDatabase,
} from '../../../registry/store/test-databases.js';
import { defineAgent } from '../../../runtime/agent/define-agent.js';
import type { CapabilityProxy, StreamChunk } from '../../../runtime/agent/proxy.js';
import { MeshError } from '../../../runtime/errors/mesh-error.js';
import type { RunningAgent } from '../../../runtime/run-agent.js';
import { unique } from '../support/registry-client.js';
import { type RegistryProcess, startRegistryProcess } from '../support/registry-process.js';
import { consumer, faultyProvider } from './support/agents.js';
import { useCleanup } from './support/cleanup.js';
import {
  connectClient,
  eventually,
  fastRegistryEnv,
  startInProcessAgent,
  toolMetadata,
} from './support/mesh.js';

type AnyProxy = CapabilityProxy<Record<string, unknown>, Record<string, unknown>>;

let database: TestDatabase | undefined;
let registry: RegistryProcess | undefined;

beforeAll(async () => {
  database = createTestSqliteDatabase();
  registry = await startRegistryProcess({ databaseUrl: database.url, env: fastRegistryEnv });
});

afterAll(async () => {
  try {
    await registry?.stop();
  } finally {
    await database?.drop();
  }
});

async function wired(agent: RunningAgent, tool: string, parameter: string): Promise<AnyProxy> {
  return eventually(`${agent.agentId}.${tool} wired to ${parameter}`, async () => {
    const dependencies = await agent.wiring.dependencies(tool, AbortSignal.timeout(1_000));
    return dependencies[parameter] as AnyProxy | undefined;
  });
}

interface Chain {
  readonly worker: ReturnType<typeof faultyProvider>;
  readonly front: RunningAgent;
  readonly relay: RunningAgent;
  readonly caller: RunningAgent;
  /** Abort reasons seen by the relay's handlers. */
  readonly relayAborted: unknown[];
  /** The caller's proxies: to front (slow over three hops) and to relay's streaming tool. */
  readonly toFront: AnyProxy;
  readonly toRelayStream: AnyProxy;
}

describe('calls over several hops', () => {
  const cleanup = useCleanup();

  async function chain(): Promise<Chain> {
    const url = registry!.url;
    const slow = unique('slow');
    const ticker = unique('ticker');
    const relaySlow = unique('relay-slow');
    const relayTicks = unique('relay-ticks');
    const front = unique('front');
    const worker = faultyProvider(unique('worker'), { slow, ticker });
    const relayAborted: unknown[] = [];
    const relay = defineAgent({
      metadata: {
        name: unique('relay'),
        version: '1.0.0',
        namespace: 'default',
        port: 0,
        tools: [
          toolMetadata('relay_slow', relaySlow, {
            dependencies: [{ capability: slow, parameter: 'slow' }],
          }),
          toolMetadata('relay_ticks', relayTicks, {
            dependencies: [{ capability: ticker, parameter: 'ticker' }],
          }),
        ],
        resources: [],
        prompts: [],
      },
      handlers: {
        tools: {
          relay_slow: (input: Record<string, unknown>, { slow: proxy }: { slow?: AnyProxy }) => {
            if (!proxy) throw new Error('slow is not wired');
            return proxy.call(input);
          },
          // Relays every chunk of the worker's stream as its own progress.
          relay_ticks: async (
            input: Record<string, unknown>,
            { ticker: proxy }: { ticker?: AnyProxy },
            context,
          ) => {
            if (!proxy) throw new Error('ticker is not wired');
            context.signal.addEventListener('abort', () =>
              relayAborted.push(context.signal.reason),
            );
            const chunks: StreamChunk[] = [];
            for await (const chunk of proxy.stream(input)) {
              chunks.push(chunk);
              await context.progress(chunk.progress, chunk.total, chunk.message);
            }
            return { chunks };
          },
        },
      },
      proxyDefaults: {},
    });
    const frontAgent = defineAgent({
      metadata: {
        name: unique('front'),
        version: '1.0.0',
        namespace: 'default',
        port: 0,
        tools: [
          toolMetadata('front', front, {
            dependencies: [{ capability: relaySlow, parameter: 'relay' }],
          }),
        ],
        resources: [],
        prompts: [],
      },
      handlers: {
        tools: {
          front: (input: Record<string, unknown>, { relay: proxy }: { relay?: AnyProxy }) => {
            if (!proxy) throw new Error('relay is not wired');
            return proxy.call(input);
          },
        },
      },
      proxyDefaults: {},
    });

    await startInProcessAgent(cleanup, worker.definition, url);
    const relayRunning = await startInProcessAgent(cleanup, relay, url);
    const frontRunning = await startInProcessAgent(cleanup, frontAgent, url);
    const caller = await startInProcessAgent(
      cleanup,
      consumer(unique('caller'), [front, relayTicks]),
      url,
    );
    await wired(relayRunning, 'relay_slow', 'slow');
    await wired(relayRunning, 'relay_ticks', 'ticker');
    await wired(frontRunning, 'front', 'relay');
    return {
      worker,
      front: frontRunning,
      relay: relayRunning,
      caller,
      relayAborted,
      toFront: await wired(caller, 'use', front),
      toRelayStream: await wired(caller, 'use', relayTicks),
    };
  }

  it("a caller's deadline bounds all three hops: timeout at the caller, the last hop aborted", async () => {
    const { worker, toFront } = await chain();
    // Warm the connections along the chain, so that the deadline measures the calls.
    await expect(toFront.call({ ms: 1 })).resolves.toMatchObject({ slept: 1 });

    const started = Date.now();
    const error = await toFront.call({ ms: 20_000 }, { timeoutMs: 700 }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(MeshError);
    expect((error as MeshError).code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
    // The worker two hops down was aborted long before its 20 s sleep was over: by its own copy
    // of the deadline, or by the relay cancelling the call when the deadline passed there.
    await eventually('the worker handler aborted', () => worker.log.aborted.length > 0, 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    // It knew the caller's deadline: x-mesh-timeout-ms travelled over both hops below it (each
    // hop re-anchors the remaining time on arrival, so transit adds a little; without the
    // caller's deadline it would have been the relay's own budget of 30 s).
    const deadline = worker.log.deadlines.at(-1);
    expect(deadline).toBeDefined();
    expect(deadline).toBeLessThanOrEqual(started + 700 + 1_000);

    // A deadline long enough lets the same chain complete.
    await expect(toFront.call({ ms: 200 }, { timeoutMs: 10_000 })).resolves.toMatchObject({
      slept: 200,
    });
  });

  it('an MCP client sending x-mesh-timeout-ms gets an error within its deadline', async () => {
    const { worker, front } = await chain();
    const client = await connectClient(cleanup, front.url, { 'x-mesh-timeout-ms': '700' });
    const started = Date.now();
    const result = await client.callTool({ name: 'front', arguments: { ms: 20_000 } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/deadline/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await eventually('the worker handler aborted', () => worker.log.aborted.length > 0, 5_000);
  });

  it('streams progress over two hops, every chunk in order', async () => {
    const { toRelayStream, worker } = await chain();
    const chunks: StreamChunk[] = [];
    for await (const chunk of toRelayStream.stream({ count: 6, every: 10 })) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.progress)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(chunks[0]).toEqual({ progress: 1, total: 6, message: 'chunk 1' });
    expect(worker.log.aborted).toEqual([]);
  });

  it('leaving the stream early cancels the remote call on every hop', async () => {
    const { toRelayStream, worker, relayAborted } = await chain();
    const chunks: StreamChunk[] = [];
    for await (const chunk of toRelayStream.stream({ count: 1_000, every: 50 })) {
      chunks.push(chunk);
      if (chunks.length === 2) break;
    }
    expect(chunks.map((chunk) => chunk.progress)).toEqual([1, 2]);
    await eventually('the relay handler aborted', () => relayAborted.length > 0, 5_000);
    await eventually('the worker handler aborted', () => worker.log.aborted.length > 0, 5_000);
    expect(worker.log.calls.ticker).toBe(1);
  });
});
