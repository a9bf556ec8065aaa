// /proxy/{agent_id}/mcp with the official SDK on both ends: a real agent server behind a real
// registry process, called through the proxy by v2 clients of both protocol eras (2025-11-25
// with a session, stateless 2026-07-28 with its Mcp-Method / Mcp-Name / Mcp-Param-* headers)
// and by the v1 client, each answer compared with the same call made to the agent directly.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineAgent } from '../../../runtime/agent/define-agent.js';
import type { AgentServer } from '../../../runtime/hosting/start-agent-server.js';
import { serverPool } from '../../../runtime/hosting/test-agent.fixture.js';
import { clientPool } from '../../../runtime/hosting/test-clients.fixture.js';
import type { AgentMetadata } from '../../../runtime/metadata.js';
import { agentBody, keepAlive, tool, unique } from '../support/registry-client.js';
import { backends, useRegistry } from '../support/registry-fixture.js';

// `region` is mirrored into an `Mcp-Param-Region` header by 2026-07-28 clients, and the
// server refuses a call whose header is missing (400, -32020).
const metadata: AgentMetadata = {
  name: 'weather',
  version: '1.0.0',
  namespace: 'default',
  port: 0,
  tools: [
    {
      name: 'forecast',
      capability: 'forecast',
      version: '1.0.0',
      tags: [],
      description: 'A forecast for a region.',
      inputSchema: {
        type: 'object',
        properties: {
          region: { type: 'string', 'x-mcp-header': 'Region' },
          days: { type: 'number' },
        },
        required: ['region', 'days'],
      },
      kwargs: {},
      dependencies: [],
    },
  ],
  resources: [],
  prompts: [],
};

const weather = defineAgent({
  metadata,
  proxyDefaults: {},
  handlers: {
    tools: {
      forecast: ({ region, days }: { region: string; days: number }) =>
        `${days} days of sun in ${region}`,
    },
  },
});

const sqlite = backends.find((backend) => backend.name === 'sqlite')!;

describe.sequential('proxy: both MCP eras through the registry with SDK clients', () => {
  const fixture = useRegistry(sqlite);
  const servers = serverPool();
  const clients = clientPool();
  let agent: AgentServer;
  let agentId: string;
  let alive: { stop(): void } | undefined;
  const proxied = () => `${fixture.registry.url}/proxy/${encodeURIComponent(agentId)}`;

  beforeAll(async () => {
    agent = await servers.start(weather);
    agent.markReady();
    agentId = unique('weather');
    const registration = agentBody(agentId, [tool('forecast', 'forecast')], {
      http_host: '127.0.0.1',
      http_port: agent.port,
    });
    await fixture.client.register(registration);
    alive = keepAlive(fixture.client, agentId, 250, registration);
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    alive?.stop();
    await servers.closeAll();
  });

  const forecast = { name: 'forecast', arguments: { region: 'Bretagne', days: 3 } };
  const expected = [{ type: 'text', text: '3 days of sun in Bretagne' }];

  it('2026-07-28 (stateless): tools/list and a tools/call with Mcp-Param-* headers', async () => {
    const direct = await clients.v2(agent.url, 'auto');
    const viaProxy = await clients.v2(proxied(), 'auto');
    for (const [path, { client, transport }] of [
      ['direct', direct],
      ['through the proxy', viaProxy],
    ] as const) {
      expect(client.getNegotiatedProtocolVersion(), path).toBe('2026-07-28');
      expect(transport.sessionId).toBeUndefined();
      expect((await client.listTools()).tools.map((entry) => entry.name)).toEqual(['forecast']);
      const result = await client.callTool(forecast);
      expect(result.isError ?? false).toBe(false);
      expect(result.content).toEqual(expected);
    }
  });

  it('2025-11-25 (session): initialize, tools/call and session end, with the v2 and v1 clients', async () => {
    const v2 = await clients.v2(proxied(), 'legacy');
    expect(v2.client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    expect(v2.transport.sessionId).toEqual(expect.any(String));
    expect((await v2.client.callTool(forecast)).content).toEqual(expected);
    await v2.transport.terminateSession();
    expect(v2.transport.sessionId).toBeUndefined();

    const v1 = await clients.v1(proxied());
    expect(v1.transport.sessionId).toEqual(expect.any(String));
    expect((await v1.client.callTool(forecast)).content).toEqual(expected);
  });
});
