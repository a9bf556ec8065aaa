// POST|GET /proxy/{agent_id}/mcp against a real registry process and a real HTTP server
// standing in for an agent's /mcp, on SQLite and PostgreSQL: body, status, content type and
// session id relayed both ways; unknown (404), unhealthy (503) and unreachable (502) agents
// refused clearly; the predecessor's key form (`host:port` of a registered agent) accepted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closedPort, type FakeMcpAgent, startFakeMcpAgent } from '../support/fake-mcp-agent.js';
import {
  agentBody,
  errorBody,
  keepAlive,
  type RegistryClient,
  tool,
  unique,
  waitFor,
} from '../support/registry-client.js';
import { describeEachBackend, useRegistry } from '../support/registry-fixture.js';

describeEachBackend('proxy', (backend) => {
  const fixture = useRegistry(backend, {
    DEFAULT_TIMEOUT_THRESHOLD: '1.5',
    HEALTH_CHECK_INTERVAL: '0.2',
  });
  let agent: FakeMcpAgent;
  let agentId: string;
  let alive: { stop(): void } | undefined;

  beforeAll(async () => {
    agent = await startFakeMcpAgent();
    agentId = unique('echo-agent');
    const registration = agentBody(agentId, [tool('echo', unique('echo'))], {
      http_host: '127.0.0.1',
      http_port: agent.port,
    });
    await fixture.client.register(registration);
    alive = keepAlive(fixture.client, agentId, 250, registration);
  });
  afterAll(async () => {
    alive?.stop();
    await agent?.close();
  });

  const post = (client: RegistryClient, id: string, message: unknown, headers = {}) =>
    client.call('POST', `/proxy/${id}/mcp`, {
      json: message,
      headers: { accept: 'application/json, text/event-stream', ...headers },
    });

  it('relays a JSON-RPC request and the answer: body, status, content type, session id', async () => {
    const { client } = fixture;
    const seen = agent.requests.length;
    const message = {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'héllo', nested: [1, { deep: true }] } },
    };
    const answer = await post(client, agentId, message, {
      'mcp-session-id': 'session-from-client',
      'mcp-protocol-version': '2025-11-25',
      'mcp-method': 'tools/call',
      'mcp-name': 'echo',
      'mcp-param-region': 'Bretagne',
      'x-not-forwarded': 'secret',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('mcp-session-id')).toBe('session-from-client');
    expect(answer.json).toEqual({ jsonrpc: '2.0', id: 7, result: { echo: message } });

    expect(agent.requests.length).toBe(seen + 1);
    const received = agent.requests.at(-1)!;
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/mcp');
    expect(JSON.parse(received.body)).toEqual(message);
    expect(received.headers['content-type']).toMatch(/^application\/json/);
    expect(received.headers['mcp-session-id']).toBe('session-from-client');
    expect(received.headers['mcp-protocol-version']).toBe('2025-11-25');
    expect(received.headers['mcp-method']).toBe('tools/call');
    expect(received.headers['mcp-name']).toBe('echo');
    expect(received.headers['mcp-param-region']).toBe('Bretagne');
    expect(received.headers.accept).toBe('application/json, text/event-stream');
    expect(received.headers['x-not-forwarded']).toBeUndefined();
  });

  it('relays a session id the agent issues, a 202 for a notification, and the agent’s own errors', async () => {
    const { client } = fixture;
    const initialized = await post(client, agentId, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {},
    });
    expect(initialized.status).toBe(200);
    const session = initialized.headers.get('mcp-session-id');
    expect(session).toMatch(/^session-\d+$/);

    const notified = await post(
      client,
      agentId,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { 'mcp-session-id': session! },
    );
    expect(notified.status).toBe(202);
    expect(notified.text).toBe('');

    const teapot = await post(client, agentId, { jsonrpc: '2.0', id: 2, method: 'teapot' });
    expect(teapot.status).toBe(418);
    expect(teapot.json).toEqual({
      jsonrpc: '2.0',
      id: 2,
      error: { code: -32000, message: 'short and stout' },
    });

    const streamed = await post(client, agentId, { jsonrpc: '2.0', id: 3, method: 'stream' });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toBe('text/event-stream');
    expect(streamed.text).toBe(
      `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 3, result: { streamed: true } })}\n\n`,
    );

    const get = await client.call('GET', `/proxy/${agentId}/mcp`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(get.status).toBe(405);
    expect(agent.requests.at(-1)?.method).toBe('GET');
  });

  it("accepts the predecessor's key, a registered agent's host:port, in both loopback spellings", async () => {
    const { client } = fixture;
    const message = { jsonrpc: '2.0', id: 11, method: 'tools/list' };
    for (const key of [`127.0.0.1:${agent.port}`, `localhost:${agent.port}`]) {
      const seen = agent.requests.length;
      const answer = await post(client, key, message);
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ jsonrpc: '2.0', id: 11, result: { echo: message } });
      expect(agent.requests.length).toBe(seen + 1);
    }
  });

  it('answers 404 for a host:port no agent registered, without calling it (no open relay)', async () => {
    const port = await closedPort();
    const answer = await post(fixture.client, `127.0.0.1:${port}`, {
      jsonrpc: '2.0',
      id: 1,
      method: 'x',
    });
    expect(answer.status).toBe(404);
    expect(errorBody(answer)).toMatchObject({ error: 'not_found' });
  });

  it('answers 404 for an unknown agent', async () => {
    const answer = await post(fixture.client, unique('nobody'), {
      jsonrpc: '2.0',
      id: 1,
      method: 'x',
    });
    expect(answer.status).toBe(404);
    expect(errorBody(answer)).toMatchObject({ error: 'not_found' });
  });

  it('answers 503 for an unhealthy agent without calling it', async () => {
    const { client } = fixture;
    const id = unique('sleepy');
    await client.register(
      agentBody(id, [tool('t', unique('t'))], { http_host: '127.0.0.1', http_port: agent.port }),
    );
    await waitFor(
      'the agent to turn unhealthy',
      async () => (await client.agent(id))?.status === 'unhealthy',
    );
    const seen = agent.requests.length;
    const answer = await post(client, id, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(answer.status).toBe(503);
    const body = errorBody(answer);
    expect(body.error).toBe('unavailable');
    expect(body.message).toContain(id);
    expect(body.message).toContain('unhealthy');
    expect(agent.requests.length).toBe(seen);
  });

  it('answers 502 (bad_gateway) with a clear message when the healthy agent’s port is closed', async () => {
    const { client } = fixture;
    const id = unique('gone');
    const port = await closedPort();
    await client.register(
      agentBody(id, [tool('t', unique('t'))], { http_host: '127.0.0.1', http_port: port }),
    );
    const answer = await post(client, id, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(answer.status).toBe(502);
    const body = errorBody(answer);
    expect(body.error).toBe('bad_gateway');
    expect(body.message).toContain(id);
    expect(body.message).toContain(`http://127.0.0.1:${port}`);
    expect(body.message).toContain('did not answer');
  });

  it('answers 503 for an agent that announced no port', async () => {
    const { client } = fixture;
    const id = unique('portless');
    await client.register(agentBody(id, [tool('t', unique('t'))], { http_port: 0 }));
    const answer = await post(client, id, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(answer.status).toBe(503);
    expect(errorBody(answer).message).toContain('no reachable port');
  });
});
