/**
 * Plain MCP servers (no mesh runtime inside) as providers: an SDK v1 server and a FastMCP server
 * run as real processes, each registered and health-checked on its behalf by a registrar, beside
 * a mesh agent providing the same capability. A consumer agent depending on the capability calls
 * them across the mesh, and fails over between plain servers and the mesh agent as they stop.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../../runtime/agent/define-agent.js';
import type { CapabilityProxy } from '../../../runtime/agent/proxy.js';
import type { PlainServerMetadata } from '../../../runtime/plain-servers/plain-server.js';
import { startPlainServerRegistrar } from '../../../runtime/plain-servers/registrar.js';
import { useCleanup } from '../runtime/support/cleanup.js';
import {
  connectClient,
  eventually,
  freePort,
  startInProcessAgent,
  startTestRegistry,
  toolMetadata,
} from '../runtime/support/mesh.js';
import { useMeshes } from '../start-stop/meshctl.js';
import { unique } from '../support/registry-client.js';
import { startPlainServer } from './plain-server-process.js';

interface Converted {
  readonly celsius: number;
  readonly served_by: string;
}
type TemperatureProxy = CapabilityProxy<{ fahrenheit: number }, Converted>;

const logger = pino({ level: 'silent' });

async function ask(client: Client): Promise<Converted | { unresolved: true }> {
  const result = await client.callTool({ name: 'boil', arguments: {} });
  expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
  return (result.structuredContent ??
    JSON.parse((result.content as { text: string }[])[0]?.text ?? '{}')) as Converted;
}

function plainServer(name: string, url: string, capability: string): PlainServerMetadata {
  return {
    name,
    url,
    version: '1.0.0',
    namespace: 'default',
    tools: [toolMetadata('convert', capability)],
    discover: true,
  };
}

describe('plain MCP servers as providers', { timeout: 60_000 }, () => {
  const cleanup = useCleanup();

  it('are called across the mesh and fail over with a mesh agent of the same capability', async () => {
    const registry = await startTestRegistry(cleanup);
    const capability = unique('temperature');
    const sdkServer = cleanup.defer(
      await startPlainServer('sdk-v1-server', { SERVED_BY: 'sdk-v1' }),
      (server) => server.stop(),
    );
    const fastPort = await freePort();
    const fastServer = cleanup.defer(
      await startPlainServer('fastmcp-server', { SERVED_BY: 'fastmcp', PORT: String(fastPort) }),
      (server) => server.stop(),
    );
    const sdkName = unique('sdk-plain');
    const sdkRegistrar = cleanup.defer(
      startPlainServerRegistrar(plainServer(sdkName, sdkServer.url, capability), {
        registryUrl: registry.url,
        intervalMs: 200,
        logger,
      }),
      (registrar) => registrar.stop(),
    );

    const consumer = defineAgent({
      metadata: {
        name: unique('kettle'),
        version: '1.0.0',
        namespace: 'default',
        port: 0,
        tools: [{ ...toolMetadata('boil', unique('boil'), { dependencies: [capability] }) }],
        resources: [],
        prompts: [],
      },
      handlers: {
        tools: {
          boil: async (_input: Record<string, unknown>, deps: Record<string, unknown>) => {
            const temperature = deps[capability] as TemperatureProxy | undefined;
            if (!temperature) return { unresolved: true };
            return temperature.call({ fahrenheit: 212 });
          },
        },
      },
      proxyDefaults: {},
    });
    const kettle = await startInProcessAgent(cleanup, consumer, registry.url);
    const client = await connectClient(cleanup, kettle.url);

    // The SDK v1 server alone: its registrar registered it, the consumer was wired to it.
    expect(
      await eventually('the SDK v1 server to be called', async () => {
        const answer = await ask(client);
        return 'served_by' in answer && answer;
      }),
    ).toEqual({ celsius: 100, served_by: 'sdk-v1' });
    expect(sdkRegistrar.registered).toBe(true);
    const listed = await registry.client.agents();
    expect(listed.find((agent) => agent.name === sdkName)?.endpoint).toBe(
      new URL(sdkServer.url).origin,
    );

    // A mesh agent of the same capability joins; the SDK v1 server stops: calls go on through
    // the mesh agent, since its registrar unregisters the server at the first failed probe.
    const meshProvider = defineAgent({
      metadata: {
        name: unique('mesh-thermometer'),
        version: '1.0.0',
        namespace: 'default',
        port: 0,
        tools: [toolMetadata('to_celsius', capability)],
        resources: [],
        prompts: [],
      },
      handlers: {
        tools: {
          to_celsius: async ({ fahrenheit }: { fahrenheit: number }) => ({
            celsius: ((fahrenheit - 32) * 5) / 9,
            served_by: 'mesh-agent',
          }),
        },
      },
      proxyDefaults: {},
    });
    const meshAgent = await startInProcessAgent(cleanup, meshProvider, registry.url);
    await sdkServer.stop();
    await sdkRegistrar.nextRound();
    await sdkRegistrar.nextRound();
    expect(sdkRegistrar.registered).toBe(false);
    expect(
      await eventually('the mesh agent to take over', async () => {
        const answer = await ask(client);
        return 'served_by' in answer && answer.served_by === 'mesh-agent' && answer;
      }),
    ).toEqual({ celsius: 100, served_by: 'mesh-agent' });
    for (let call = 0; call < 5; call += 1) {
      expect(await ask(client)).toEqual({ celsius: 100, served_by: 'mesh-agent' });
    }

    // The FastMCP server registers; the mesh agent stops: calls go on through the plain server.
    cleanup.defer(
      startPlainServerRegistrar(plainServer(unique('fast-plain'), fastServer.url, capability), {
        registryUrl: registry.url,
        intervalMs: 200,
        logger,
      }),
      (registrar) => registrar.stop(),
    );
    // FastMCP holds its first session's set-up for about 2 s: more time than the default wait.
    await eventually(
      'the FastMCP server to be registered',
      async () =>
        (await registry.client.agents()).some((agent) => agent.endpoint.endsWith(`:${fastPort}`)),
      15_000,
    );
    await meshAgent.stop();
    expect(
      await eventually(
        'the FastMCP server to take over',
        async () => {
          const answer = await ask(client);
          return 'served_by' in answer && answer.served_by === 'fastmcp' && answer;
        },
        15_000,
      ),
    ).toEqual({ celsius: 100, served_by: 'fastmcp' });
  });

  const mesh = useMeshes();

  it('are registered by meshctl start while they answer, and unregistered when it stops', async () => {
    const registry = await startTestRegistry(cleanup);
    const server = cleanup.defer(await startPlainServer('sdk-v1-server', {}), (running) =>
      running.stop(),
    );
    const meshctl = mesh();
    const name = unique('thermo');
    const spec = join(meshctl.stateDir, 'mesh.yaml');
    writeFileSync(
      spec,
      `agents: []\nservers:\n  - name: ${name}\n    url: ${server.url}\n    discover: true\n`,
    );
    const child = meshctl.spawn([
      'start',
      spec,
      '--registry-url',
      registry.url,
      '--env',
      'MCP_MESH_HEALTH_INTERVAL=0.2',
    ]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const registered = await eventually(
      'meshctl to register the server',
      async () => (await registry.client.agents()).find((agent) => agent.id === `plain-${name}`),
      15_000,
    );
    expect(registered.capabilities.map((capability) => capability.name)).toEqual(['convert']);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect((await registry.client.agents()).some((agent) => agent.id === `plain-${name}`)).toBe(
      false,
    );
  });
});
