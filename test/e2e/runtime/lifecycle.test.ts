/**
 * An agent's life with a real registry around it, with the greeting example as real processes
 * (`runtime/agent-main.ts`): it serves with no registry and registers once one appears; it
 * rides out a registry crash and comes back after a restart; it is rewired within a second or
 * two when its provider appears or leaves; and it unregisters the moment it stops.
 */
import type { Client } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { unique } from '../support/registry-client.js';
import { type AgentProcess, startAgentProcess } from './support/agent-process.js';
import { useCleanup } from './support/cleanup.js';
import {
  connectClient,
  eventually,
  fastAgentEnv,
  freePort,
  sqliteDatabase,
  startTestRegistry,
} from './support/mesh.js';

const greeterModule = 'examples/greeting/handlers/greeter.ts';
const clockModule = 'examples/greeting/handlers/clock.ts';

interface Greeting {
  message: string;
  date?: string;
}

async function greet(client: Client, name = 'Ada'): Promise<Greeting> {
  const result = await client.callTool({ name: 'greet', arguments: { name } });
  expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
  return result.structuredContent as unknown as Greeting;
}

// Registries and agents start as processes, and backoff (1 s doubling, with jitter) decides
// when an agent next tries an absent registry: these tests may take a while on a busy machine.
/** `waiting`, failing with the agents' logs attached when it fails. */
async function withLogs<T>(agents: readonly AgentProcess[], waiting: Promise<T>): Promise<T> {
  try {
    return await waiting;
  } catch (error) {
    const logs = agents.map((agent) => agent.logs().split('\n').slice(-40).join('\n'));
    throw new Error(`${(error as Error).message}\n--- agent logs ---\n${logs.join('\n---\n')}`);
  }
}

describe('agent lifecycle with a real registry', { timeout: 90_000 }, () => {
  const cleanup = useCleanup();

  async function agent(
    module: string,
    registryUrl: string,
    agentId: string,
  ): Promise<AgentProcess> {
    return cleanup.defer(
      await startAgentProcess({
        module,
        env: { ...fastAgentEnv, MCP_MESH_REGISTRY_URL: registryUrl, MCP_MESH_AGENT_ID: agentId },
      }),
      (process) => process.stop(),
    );
  }

  it('serves with the registry absent, and registers by itself once it appears', async () => {
    const port = await freePort();
    const registryUrl = `http://127.0.0.1:${port}`;
    const greeterId = unique('greeter');
    const greeter = await agent(greeterModule, registryUrl, greeterId);

    // Standalone: alive, and a tool call works (without its dependency).
    const livez = await fetch(`${greeter.url}/livez`);
    expect(livez.status).toBe(200);
    const client = await connectClient(cleanup, greeter.url);
    expect(await greet(client)).toEqual({ message: 'Hello, Ada!' });

    const registry = await startTestRegistry(cleanup, { port });
    // Backoff is 1 s doubling with jitter: the next attempts come within a few seconds.
    await withLogs(
      [greeter],
      eventually(
        'the greeter to register with the late registry',
        async () => (await registry.client.agent(greeterId))?.status === 'healthy',
        45_000,
        100,
      ),
    );
    // (The log line may trail the registry's view by a moment: it comes through a pipe.)
    await eventually('the greeter to log its registration', () =>
      greeter.logs().includes('registered with the registry'),
    );
    expect(await greet(client)).toEqual({ message: 'Hello, Ada!' });
  });

  it('keeps serving and calling while the registry is down, and re-registers after a restart', async () => {
    const database = sqliteDatabase(cleanup);
    const first = await startTestRegistry(cleanup, { database });
    const greeterId = unique('greeter');
    const clockId = unique('clock');
    const clock = await agent(clockModule, first.url, clockId);
    const greeter = await agent(greeterModule, first.url, greeterId);
    const client = await connectClient(cleanup, greeter.url);
    await eventually(
      'the greeter to be wired to the clock',
      async () => (await greet(client)).date,
    );

    // The registry crashes. (Kept short: every failed heartbeat doubles the agents' backoff.)
    await first.process.kill();
    for (let call = 0; call < 3; call++) {
      expect((await fetch(`${greeter.url}/livez`)).status).toBe(200);
      expect((await fetch(`${clock.url}/livez`)).status).toBe(200);
      // Already-wired agents keep calling each other.
      expect((await greet(client)).date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // They did notice the registry was gone.
    await eventually('the greeter to notice', () =>
      greeter.logs().includes('registry unreachable'),
    );

    // Back on the same port, with the same database.
    const second = await startTestRegistry(cleanup, { database, port: first.process.port });
    await withLogs(
      [greeter, clock],
      eventually(
        'both agents healthy in the restarted registry',
        async () => {
          const agents = await second.client.agents();
          const status = (id: string) => agents.find((entry) => entry.id === id)?.status;
          return status(greeterId) === 'healthy' && status(clockId) === 'healthy';
        },
        45_000,
        100,
      ),
    );
    await eventually(
      "the greeter's dependency resolved in the restarted registry",
      async () =>
        (await second.client.agent(greeterId))?.dependency_resolutions.some(
          (resolution) => resolution.provider_agent_id === clockId,
        ),
      10_000,
    );
    await eventually(
      'the greeter to greet with a date again',
      async () => (await greet(client)).date,
    );
  });

  it('rewires within seconds when a provider appears, and when it stops (SIGTERM → unregistered)', async () => {
    const registry = await startTestRegistry(cleanup);
    const greeterId = unique('greeter');
    const clockId = unique('clock');
    const greeter = await agent(greeterModule, registry.url, greeterId);
    const client = await connectClient(cleanup, greeter.url);
    await eventually(
      'the greeter registered',
      async () => (await registry.client.agent(greeterId))?.status === 'healthy',
    );
    expect(await greet(client)).toEqual({ message: 'Hello, Ada!' });

    // A provider appears: the watch stream wakes the greeter, which re-sends its heartbeat.
    const clock = await agent(clockModule, registry.url, clockId);
    let started = Date.now();
    await eventually(
      'the greeter to greet with a date',
      async () => (await greet(client)).date,
      5_000,
    );
    expect(Date.now() - started).toBeLessThan(5_000);

    // The provider stops: SIGTERM unregisters it, and the greeter's proxy goes away.
    started = Date.now();
    const end = await clock.stop();
    expect(end.code).toBe(0);
    expect(await registry.client.agent(clockId)).toBeUndefined();
    await eventually(
      'the greeter to greet without a date',
      async () => (await greet(client)).date === undefined,
      5_000,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await greet(client)).toEqual({ message: 'Hello, Ada!' });
    const metadata = (await (await fetch(`${greeter.url}/metadata`)).json()) as {
      wiring: Record<string, { status: string }[]>;
    };
    expect(metadata.wiring.greet?.[0]?.status).toBe('unresolved');
  });
});
