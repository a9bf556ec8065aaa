/**
 * What an agent does differently in a pod, with a real registry: it listens on `HOST` (a pod's
 * `0.0.0.0`) and announces `MCP_MESH_HTTP_HOST` (the pod IP from the downward API, or a Service
 * name), never a wildcard; it turns `/ready` true once registered; it accepts its Service's
 * names as Host (MCP_MESH_HTTP_ALLOWED_HOSTS); and on SIGTERM it turns `/ready` false and
 * unregisters first, then
 * lets the calls in flight finish — serving new ones meanwhile, for callers that have not
 * rewired yet — and only then stops listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../../runtime/agent/define-agent.js';
import { freePort } from '../support/free-port.js';
import { unique } from '../support/registry-client.js';
import { type AgentProcess, startAgentProcess } from './support/agent-process.js';
import { useCleanup } from './support/cleanup.js';
import {
  connectClient,
  eventually,
  fastAgentEnv,
  startInProcessAgent,
  startTestRegistry,
  toolMetadata,
} from './support/mesh.js';

const clockModule = 'examples/greeting/handlers/clock.ts';

/** The addresses of this machine's network interfaces. */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((entries) =>
    (entries ?? []).map((entry) => entry.address),
  );
}

/** The non-loopback IPv4 addresses of this machine. */
function externalIpv4Addresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((entries) =>
    (entries ?? [])
      .filter((entry) => entry.family === 'IPv4' && !entry.internal)
      .map((entry) => entry.address),
  );
}

/** An `initialize` to `url`'s `/mcp` naming `host` in its Host header; answers the status. */
async function mcpStatusWithHost(url: string, host: string): Promise<number> {
  const answer = await request(`${url}/mcp`, {
    method: 'POST',
    headers: {
      host,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'host-check', version: '1.0.0' },
      },
    }),
  });
  await answer.body.text();
  return answer.statusCode;
}

describe('an agent in a pod', { timeout: 60_000 }, () => {
  const cleanup = useCleanup();

  async function clock(env: Record<string, string>): Promise<AgentProcess> {
    return cleanup.defer(
      await startAgentProcess({ module: clockModule, env: { ...fastAgentEnv, ...env } }),
      (process) => process.stop(),
    );
  }

  it('listens on HOST and announces a Service name given as MCP_MESH_HTTP_HOST, which /mcp accepts as Host', async () => {
    const registry = await startTestRegistry(cleanup);
    const agentId = unique('clock');
    const service = 'clock.mesh.svc';
    const agent = await clock({
      HOST: '127.0.0.1',
      MCP_MESH_HTTP_HOST: service,
      MCP_MESH_REGISTRY_URL: registry.url,
      MCP_MESH_AGENT_ID: agentId,
    });

    const registered = await eventually('the clock registered', () =>
      registry.client.agent(agentId),
    );
    expect(registered.endpoint).toBe(`http://${service}:${agent.port}`);
    // Callers reach it by that name (here: a request naming it, sent to the address it listens on).
    expect(await mcpStatusWithHost(agent.url, `${service}:${agent.port}`)).toBe(200);
    expect(await mcpStatusWithHost(agent.url, `elsewhere.example:${agent.port}`)).toBe(403);
  });

  it('accepts as Host the names of MCP_MESH_HTTP_ALLOWED_HOSTS (its Service), and no others', async () => {
    const agent = await clock({
      HOST: '127.0.0.1',
      MCP_MESH_HTTP_HOST: '127.0.0.1',
      MCP_MESH_HTTP_ALLOWED_HOSTS: 'clock, clock.mesh.svc.cluster.local',
      MCP_MESH_REGISTRY_URL: 'off',
    });
    expect(await mcpStatusWithHost(agent.url, `clock:${agent.port}`)).toBe(200);
    expect(await mcpStatusWithHost(agent.url, `CLOCK.mesh.svc.cluster.local:${agent.port}`)).toBe(
      200,
    );
    expect(await mcpStatusWithHost(agent.url, `clock.other:${agent.port}`)).toBe(403);
  });

  it('bound to every interface (HOST=0.0.0.0), announces the pod IP it is given', async () => {
    const registry = await startTestRegistry(cleanup);
    const agentId = unique('clock');
    const podIp = '127.0.0.1';
    const agent = await clock({
      HOST: '0.0.0.0',
      MCP_MESH_HTTP_HOST: podIp,
      MCP_MESH_REGISTRY_URL: registry.url,
      MCP_MESH_AGENT_ID: agentId,
    });

    const registered = await eventually('the clock registered', () =>
      registry.client.agent(agentId),
    );
    expect(registered.endpoint).toBe(`http://${podIp}:${agent.port}`);
    // Every interface: the pod IP and the others (a Service's traffic, kubectl port-forward).
    for (const address of interfaceAddresses().filter((entry) => !entry.includes(':'))) {
      expect((await fetch(`http://${address}:${agent.port}/livez`)).status).toBe(200);
    }
  });

  it('bound to every interface with no MCP_MESH_HTTP_HOST, announces an address of this machine, never 0.0.0.0', async () => {
    const registry = await startTestRegistry(cleanup);
    const agentId = unique('clock');
    const agent = await clock({
      HOST: '0.0.0.0',
      MCP_MESH_HTTP_HOST: '',
      MCP_MESH_REGISTRY_URL: registry.url,
      MCP_MESH_AGENT_ID: agentId,
    });

    const registered = await eventually('the clock registered', () =>
      registry.client.agent(agentId),
    );
    const announced = new URL(registered.endpoint);
    expect(announced.port).toBe(String(agent.port));
    // An address other machines can reach when there is one (loopback only on a machine without).
    const external = externalIpv4Addresses();
    if (external.length > 0) expect(external).toContain(announced.hostname);
    else expect(announced.hostname).toBe('127.0.0.1');
    expect((await fetch(`${registered.endpoint}/livez`)).status).toBe(200);
  });

  it('on stop: /ready 503 and unregistered while a call is still running; new calls served until it ends', async () => {
    const registry = await startTestRegistry(cleanup);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let markStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const definition = defineAgent({
      metadata: {
        name: unique('draining'),
        version: '1.0.0',
        namespace: 'default',
        port: 0,
        tools: [toolMetadata('hold', unique('hold')), toolMetadata('ping', unique('ping'))],
        resources: [],
        prompts: [],
      },
      handlers: {
        tools: {
          async hold() {
            markStarted();
            await released;
            return { held: true };
          },
          ping: () => ({ pong: true }),
        },
      },
      proxyDefaults: {},
    });
    // Calls in flight may take long: the stop must wait for them, not for a short drain bound.
    const agent = await startInProcessAgent(cleanup, definition, registry.url, {
      shutdownTimeoutMs: 30_000,
    });
    await eventually(
      'the agent registered',
      async () => (await registry.client.agent(agent.agentId))?.status === 'healthy',
    );
    const client = await connectClient(cleanup, agent.url);
    // Settled either way, so that a call cut short fails the assertions below, not the run.
    const holding = client.callTool({ name: 'hold', arguments: {} }).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    await started;

    let stopped = false;
    const stopping = agent.stop().then(() => {
      stopped = true;
    });
    try {
      await eventually('/ready to answer 503', async () => {
        const ready = await fetch(`${agent.url}/ready`);
        return ready.status === 503 && ((await ready.json()) as { ready: boolean }).ready === false;
      });
      await eventually(
        'the agent unregistered while its call runs',
        async () => (await registry.client.agent(agent.agentId)) === undefined,
      );
      // A caller that has not rewired yet is still served.
      const late = await client.callTool({ name: 'ping', arguments: {} });
      expect(late.isError ?? false).toBe(false);
      expect(stopped).toBe(false);
    } finally {
      release();
    }
    const held = await holding;
    expect(held).toMatchObject({
      result: { content: [{ type: 'text', text: JSON.stringify({ held: true }) }] },
    });
    await stopping;
    await expect(fetch(`${agent.url}/livez`)).rejects.toThrow();
  });

  it('turns /ready 200 once the registry answered its registration, or failed to once', async () => {
    // A registry that holds the registration until told to answer.
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const registry = createServer((request, response) => {
      request.resume();
      const path = (request.url ?? '').split('?')[0];
      if (request.method === 'POST' && path === '/heartbeat') {
        void answered.then(() =>
          response
            .writeHead(200, { 'content-type': 'application/json' })
            .end(
              JSON.stringify({ agent_id: 'held', status: 'success', dependencies_resolved: {} }),
            ),
        );
      } else if (request.method === 'HEAD') response.writeHead(200).end();
      else response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    cleanup.defer(registry, (server) => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const readiness = async (url: string) => (await fetch(`${url}/ready`)).status;
    const definition = () =>
      defineAgent({
        metadata: {
          name: unique('ready'),
          version: '1.0.0',
          namespace: 'default',
          port: 0,
          tools: [toolMetadata('ping', unique('ping'))],
          resources: [],
          prompts: [],
        },
        handlers: { tools: { ping: () => ({ pong: true }) } },
        proxyDefaults: {},
      });

    const held = await startInProcessAgent(
      cleanup,
      definition(),
      `http://127.0.0.1:${(registry.address() as AddressInfo).port}`,
    );
    // It serves at once; the mesh cannot find it yet, so it is not Ready.
    const client = await connectClient(cleanup, held.url);
    expect((await client.callTool({ name: 'ping', arguments: {} })).isError ?? false).toBe(false);
    expect(await readiness(held.url)).toBe(503);
    answer();
    await eventually('/ready 200 once registered', async () => (await readiness(held.url)) === 200);

    // Nothing listens there: Ready after the first attempt fails, serving without the mesh.
    const alone = await startInProcessAgent(
      cleanup,
      definition(),
      `http://127.0.0.1:${await freePort()}`,
    );
    await eventually(
      '/ready 200 with no registry',
      async () => (await readiness(alone.url)) === 200,
    );
  });
});
