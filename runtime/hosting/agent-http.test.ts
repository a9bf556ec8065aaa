// The agent server's HTTP surface: probes, /metadata, /metrics, DNS-rebinding protection, bearer
// auth, response shapes, shutdown.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestAgent, serverPool } from './test-agent.fixture.js';
import { clientPool } from './test-clients.fixture.js';

const servers = serverPool();
const clients = clientPool();

afterEach(async () => {
  await clients.closeAll();
  await servers.closeAll();
});

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A plain HTTP request, with full control of Host and every other header. */
function raw(
  url: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<RawResponse> {
  const target = new URL(path, url);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      target,
      {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers: {
          ...(body === undefined
            ? {}
            : {
                'content-type': 'application/json',
                accept: 'application/json, text/event-stream',
              }),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1.0.0' },
  },
};

/** Opens a 2025-era session by hand; answers the headers its requests need. */
async function openSession(url: string): Promise<Record<string, string>> {
  const opened = await raw(url, '/mcp', { body: initialize });
  expect(opened.status).toBe(200);
  const headers = {
    'mcp-session-id': opened.headers['mcp-session-id'] as string,
    'mcp-protocol-version': '2025-11-25',
  };
  await raw(url, '/mcp', {
    headers,
    body: { jsonrpc: '2.0', method: 'notifications/initialized' },
  });
  return headers;
}

describe('probes', () => {
  it('/livez is 200; /ready turns 200 on markReady and 503 again on close', async () => {
    const server = await servers.start(createTestAgent());
    const livez = await raw(server.url, '/livez');
    expect(livez.status).toBe(200);
    expect(JSON.parse(livez.body)).toMatchObject({ alive: true, agent: 'workbench' });

    const before = await raw(server.url, '/ready');
    expect(before.status).toBe(503);
    expect(JSON.parse(before.body)).toMatchObject({ ready: false, runtime: 'starting' });
    server.markReady();
    const after = await raw(server.url, '/ready');
    expect(after.status).toBe(200);
    expect(JSON.parse(after.body)).toMatchObject({
      ready: true,
      agent: 'workbench',
      runtime: 'up',
    });
    expect((await raw(server.url, '/ready', { method: 'HEAD' })).status).toBe(200);
  });

  it('/health follows the health check: true 200, false 503, throwing 503', async () => {
    let verdict: boolean | Error = true;
    const server = await servers.start(createTestAgent(), {
      healthCheck: async () => {
        if (verdict instanceof Error) throw verdict;
        return verdict;
      },
    });
    expect((await raw(server.url, '/health')).status).toBe(200);
    verdict = false;
    const unhealthy = await raw(server.url, '/health');
    expect(unhealthy.status).toBe(503);
    expect(JSON.parse(unhealthy.body)).toMatchObject({ status: 'unhealthy', agent: 'workbench' });
    verdict = new Error('upstream down');
    const failed = await raw(server.url, '/health');
    expect(failed.status).toBe(503);
    expect(JSON.parse(failed.body)).toMatchObject({
      status: 'degraded',
      errors: ['the health check failed: upstream down'],
    });
  });

  it('/health answers while a tool is busy for 2 s', async () => {
    const server = await servers.start(createTestAgent(), { healthCheck: () => true });
    const { client } = await clients.v2(server.url, 'auto');
    const napping = client.callTool({ name: 'nap', arguments: { ms: 2_000 } });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    const health = await raw(server.url, '/health');
    expect(health.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(500);
    expect((await napping).content).toEqual([{ type: 'text', text: 'slept 2000 ms' }]);
  });

  it('/health without a health check is 200', async () => {
    const server = await servers.start(createTestAgent());
    expect(JSON.parse((await raw(server.url, '/health')).body)).toMatchObject({
      status: 'healthy',
    });
  });
});

describe('/metadata and /metrics', () => {
  it('/metadata shows the agent, each tool with kwargs (custom keys too), annotations, dependencies and wiring', async () => {
    const wiring = { whoami: [{ agent: 'clock-1', endpoint: 'http://127.0.0.1:9/mcp' }] };
    const server = await servers.start(createTestAgent(), { wiring: () => wiring });
    const response = await raw(server.url, '/metadata');
    expect(response.status).toBe(200);
    const document = JSON.parse(response.body);
    expect(document).toMatchObject({
      name: 'workbench',
      version: '2.1.0',
      namespace: 'testing',
      wiring,
    });
    const add = document.tools.find((tool: { name: string }) => tool.name === 'add');
    expect(add).toEqual({
      name: 'add',
      capability: 'arithmetic',
      version: '1.2.0',
      tags: ['math', 'fast'],
      title: 'Add two numbers',
      description: 'Adds a and b.',
      kwargs: { timeout: 5, retry_count: 1, priority: 'high', owner: { team: 'core' } },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      dependencies: [],
      wiring: null,
    });
    const whoami = document.tools.find((tool: { name: string }) => tool.name === 'whoami');
    expect(whoami.dependencies).toEqual([
      {
        capability: 'date_service',
        version: '>=1.0.0',
        tags: ['system'],
        required: false,
        parameter: 'dateService',
      },
    ]);
    expect(whoami.wiring).toEqual(wiring.whoami);
  });

  it('/metadata names the agent id, so replicas of one agent can be told apart', async () => {
    const [first, second] = await Promise.all([
      servers.start(createTestAgent(), { agentId: 'workbench-1a2b3c4d' }),
      servers.start(createTestAgent(), { agentId: 'workbench-5e6f7a8b' }),
    ]);
    const documents = await Promise.all(
      [first, second].map(async (server) => JSON.parse((await raw(server.url, '/metadata')).body)),
    );
    expect(documents.map((document) => [document.agent_id, document.name])).toEqual([
      ['workbench-1a2b3c4d', 'workbench'],
      ['workbench-5e6f7a8b', 'workbench'],
    ]);
  });

  it('/metrics counts calls and errors per tool and times them', async () => {
    const server = await servers.start(createTestAgent());
    const { client } = await clients.v2(server.url, 'legacy');
    await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } });
    await client.callTool({ name: 'add', arguments: { a: 2, b: 2 } });
    await client.callTool({ name: 'explode', arguments: {} });
    await client.callTool({ name: 'add', arguments: {} });

    const response = await raw(server.url, '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toContain('mcp_mesh_tool_calls_total{tool="add",outcome="success"} 2');
    expect(text).toContain('mcp_mesh_tool_calls_total{tool="add",outcome="invalid_input"} 1');
    expect(text).toContain('mcp_mesh_tool_calls_total{tool="explode",outcome="error"} 1');
    expect(text).toContain('mcp_mesh_tool_errors_total{tool="explode"} 1');
    expect(text).toContain('mcp_mesh_tool_errors_total{tool="add"} 1');
    expect(text).toContain('mcp_mesh_tool_calls_total{tool="shout",outcome="success"} 0');
    expect(text).toContain('mcp_mesh_tool_duration_seconds_count{tool="add",outcome="success"} 2');
  });
});

describe('/mcp', () => {
  it('rejects a foreign Host or Origin (DNS-rebinding protection), accepts localhost', async () => {
    const server = await servers.start(createTestAgent());
    const evilHost = await raw(server.url, '/mcp', {
      headers: { host: `evil.example:${server.port}` },
      body: initialize,
    });
    expect(evilHost.status).toBe(403);
    expect(JSON.parse(evilHost.body)).toMatchObject({
      error: { message: 'Invalid Host: evil.example' },
    });

    const evilOrigin = await raw(server.url, '/mcp', {
      headers: { origin: 'http://evil.example' },
      body: initialize,
    });
    expect(evilOrigin.status).toBe(403);

    const local = await raw(server.url, '/mcp', {
      headers: { host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` },
      body: initialize,
    });
    expect(local.status).toBe(200);
    // Probes stay reachable by whatever name the orchestrator uses.
    expect(
      (await raw(server.url, '/livez', { headers: { host: 'pod-10-0-0-7.internal' } })).status,
    ).toBe(200);
  });

  it('refuses bodies it cannot serve with JSON-RPC errors: 415, 400 (-32700), 413', async () => {
    const server = await servers.start(createTestAgent());
    const post = (body: string, contentType: string) =>
      fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': contentType, accept: 'application/json, text/event-stream' },
        body,
      });
    const form = await post('a=1', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect(await form.json()).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: {
        code: -32000,
        message: 'Unsupported Media Type: Content-Type must be application/json',
      },
    });
    const broken = await post('{"jsonrpc": "2.0",', 'application/json');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: -32700 } });
    const huge = await post(
      JSON.stringify({ pad: 'x'.repeat(4 * 1024 * 1024) }),
      'application/json',
    );
    expect(huge.status).toBe(413);
    expect(huge.headers.get('connection')).toBe('close');
    expect(await huge.json()).toMatchObject({ error: { code: -32000 } });
    // The probes and /mcp answer other paths and methods in JSON too.
    const put = await fetch(`${server.url}/mcp`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST, DELETE, HEAD');
    expect(await put.json()).toMatchObject({ error: 'method_not_allowed' });
    const missing = await fetch(`${server.url}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
    expect((await fetch(`${server.url}/ready`, { method: 'HEAD' })).status).toBe(503);
  });

  it('answers 401 for an auth_required tool without the bearer token; other calls need none', async () => {
    const server = await servers.start(createTestAgent(), { authToken: 's3cret' });
    const headers = await openSession(server.url);
    const callSecret = {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'secret', arguments: {} },
    };

    const anonymous = await raw(server.url, '/mcp', { headers, body: callSecret });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('Bearer');
    expect(JSON.parse(anonymous.body)).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: {
        code: -32000,
        message: `tool "secret" requires authentication: send "Authorization: Bearer <token>" with the agent's MCP_MESH_AUTH_TOKEN`,
      },
    });
    const wrong = await raw(server.url, '/mcp', {
      headers: { ...headers, authorization: 'Bearer nope' },
      body: callSecret,
    });
    expect(wrong.status).toBe(401);

    // Clients see it too, in both eras; the right token passes.
    for (const mode of ['legacy', 'auto'] as const) {
      const { client: anonymousClient } = await clients.v2(server.url, mode);
      expect(
        (await anonymousClient.callTool({ name: 'shout', arguments: { text: 'a' } })).isError,
      ).toBeFalsy();
      await expect(anonymousClient.callTool({ name: 'secret', arguments: {} })).rejects.toThrow();
      const { client } = await clients.v2(server.url, mode, { authorization: 'Bearer s3cret' });
      expect((await client.callTool({ name: 'secret', arguments: {} })).content).toEqual([
        { type: 'text', text: 'the cake is a lie' },
      ]);
    }
  });

  it('needs no token when the agent has none configured', async () => {
    const server = await servers.start(createTestAgent());
    const { client } = await clients.v1(server.url);
    expect((await client.callTool({ name: 'secret', arguments: {} })).isError).toBeFalsy();
  });

  it('answers single results as JSON and switches to SSE only for calls that stream', async () => {
    const server = await servers.start(createTestAgent());
    const headers = await openSession(server.url);
    const call = (params: Record<string, unknown>) => ({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params,
    });

    const plain = await raw(server.url, '/mcp', {
      headers,
      body: call({ name: 'add', arguments: { a: 1, b: 2 } }),
    });
    expect(plain.headers['content-type']).toContain('application/json');
    expect(JSON.parse(plain.body)).toMatchObject({
      id: 2,
      result: { structuredContent: { sum: 3 } },
    });

    const streamed = await raw(server.url, '/mcp', {
      headers,
      body: call({
        name: 'slow_count',
        arguments: { to: 2, delayMs: 1 },
        _meta: { progressToken: 'p1' },
      }),
    });
    expect(streamed.headers['content-type']).toContain('text/event-stream');
    expect(streamed.body).toContain('"method":"notifications/progress"');
    expect(streamed.body).toContain('"counted":2');
  });

  it('ends the HTTP exchange of a cancelled 2025-era call (202, no body)', async () => {
    const server = await servers.start(createTestAgent());
    const headers = await openSession(server.url);
    const napping = raw(server.url, '/mcp', {
      headers,
      body: {
        jsonrpc: '2.0',
        id: 5,
        method: 'tools/call',
        params: { name: 'nap', arguments: { ms: 10_000 } },
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const cancelled = await raw(server.url, '/mcp', {
      headers,
      body: {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: 5, reason: 'no longer needed' },
      },
    });
    expect(cancelled.status).toBe(202);
    const started = Date.now();
    expect(await napping).toMatchObject({ status: 202, body: '' });
    expect(Date.now() - started).toBeLessThan(1_000);
    const metrics = await raw(server.url, '/metrics');
    expect(metrics.body).toContain('mcp_mesh_tool_calls_total{tool="nap",outcome="cancelled"} 1');
  });

  it('serves a 2025-era request without initialize as a one-shot call: no session, JSON or SSE', async () => {
    const server = await servers.start(createTestAgent());
    const call = {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'add', arguments: { a: 2, b: 3 } },
    };
    const headers = { 'mcp-protocol-version': '2025-11-25' };
    for (const sent of [headers, {}]) {
      const answer = await raw(server.url, '/mcp', { headers: sent, body: call });
      expect(answer.status, answer.body).toBe(200);
      expect(answer.headers['mcp-session-id']).toBeUndefined();
      expect(answer.headers['content-type']).toContain('application/json');
      expect(JSON.parse(answer.body)).toMatchObject({
        id: 3,
        result: { structuredContent: { sum: 5 } },
      });
    }
    const notified = await raw(server.url, '/mcp', {
      headers,
      body: { jsonrpc: '2.0', method: 'notifications/initialized' },
    });
    expect(notified).toMatchObject({ status: 202, body: '' });
    const listed = await raw(server.url, '/mcp', {
      headers,
      body: { jsonrpc: '2.0', id: 4, method: 'tools/list' },
    });
    expect(JSON.parse(listed.body).result.tools.map((t: { name: string }) => t.name)).toContain(
      'add',
    );
    const streamed = await raw(server.url, '/mcp', {
      headers,
      body: {
        jsonrpc: '2.0',
        id: 5,
        method: 'tools/call',
        params: {
          name: 'slow_count',
          arguments: { to: 2, delayMs: 1 },
          _meta: { progressToken: 'p' },
        },
      },
    });
    expect(streamed.headers['content-type']).toContain('text/event-stream');
    expect(streamed.body).toContain('"method":"notifications/progress"');
    expect(streamed.body).toContain('"counted":2');
  });

  it('refuses 2025-era requests without a session when one-shot calls are off, and unknown sessions', async () => {
    const server = await servers.start(createTestAgent(), { sessionlessCalls: false });
    const list = { jsonrpc: '2.0', id: 3, method: 'tools/list' };
    const missing = await raw(server.url, '/mcp', { body: list });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toMatchObject({ id: 3, error: { code: -32000 } });
    const unknown = await raw(server.url, '/mcp', {
      headers: { 'mcp-session-id': 'no-such-session' },
      body: list,
    });
    expect(unknown.status).toBe(404);
  });

  it('closes a 2025-era session left idle', async () => {
    const server = await servers.start(createTestAgent(), { sessionIdleMs: 200 });
    const headers = await openSession(server.url);
    const list = { jsonrpc: '2.0', id: 4, method: 'tools/list' };
    expect((await raw(server.url, '/mcp', { headers, body: list })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await raw(server.url, '/mcp', { headers, body: list })).status).toBe(404);
  });

  it('close() lets calls being served finish, then ends sessions and stops serving', async () => {
    const server = await servers.start(createTestAgent());
    server.markReady();
    const { client } = await clients.v1(server.url);
    const napping = client.callTool({ name: 'nap', arguments: { ms: 300 } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = server.close();
    expect((await raw(server.url, '/ready')).status).toBe(503);
    await closing;
    expect((await napping).content).toEqual([{ type: 'text', text: 'slept 300 ms' }]);
    await expect(raw(server.url, '/livez')).rejects.toThrow();
  });
});
